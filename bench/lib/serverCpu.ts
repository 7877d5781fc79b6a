import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';

const TICKS = 100; // USER_HZ on Linux

/** utime, stime, cutime, cstime (fields 14–17 of /proc/<pid>/stat) and the parent pid, or null once gone. */
const stat = async (pid: number): Promise<{ ppid: number; own: number; children: number } | null> => {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return null;
  const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": f[0] is the state
  return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
};

/**
 * CPU seconds used so far by one PostgreSQL server: the postmaster, its live processes, and (through the
 * postmaster's reaped-children counters) every backend that has exited. Robust where wall time is not: other
 * engineers' runs on the same cores stretch a benchmark's seconds, not the CPU its server spends. Null off Linux.
 */
export const serverCpu = async (pool: pg.Pool): Promise<(() => Promise<number>) | null> => {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const backend = await stat(rows[0].pid);
  if (!backend) return null;
  const postmaster = backend.ppid;
  return async () => {
    // Sessions just closed take a moment to exit and be reaped: let them, so their CPU is not missed.
    await new Promise((r) => setTimeout(r, 200));
    let ticks = 0;
    // Children before the postmaster: one exiting in between is counted twice, never lost.
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = await stat(Number(name));
      if (s?.ppid === postmaster) ticks += s.own;
    }
    const main = await stat(postmaster);
    return main ? (ticks + main.own + main.children) / TICKS : 0;
  };
};
