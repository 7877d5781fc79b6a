import { readFileSync, readdirSync } from 'node:fs';
import type pg from 'pg';

/** Linux reports process times in clock ticks of 10 ms (CLK_TCK = 100 on every mainstream kernel). */
const TICK_MS = 10;

type Stat = { ppid: number; ticks: number };

/** utime + stime + cutime + cstime: the process's own CPU and that of its exited, reaped children. */
const statOf = (pid: number): Stat | null => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null; // exited meanwhile
  }
};

/** CPU milliseconds used so far by a process and every descendant (live, or exited and reaped within the tree). */
export const treeCpuMs = (root: number): number => {
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = statOf(pid);
    if (s) stats.set(pid, s);
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid; p > 1; p = stats.get(p)?.ppid ?? 0) if (p === root) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return ticks * TICK_MS;
};

/** The PostgreSQL server's process id (the postmaster: parent of our backend). */
export const postmasterPid = async (db: pg.Pool): Promise<number> => {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const s = statOf(rows[0].pid);
  if (!s) throw new Error('cannot read the backend process');
  return s.ppid;
};

/** CPU used by each named process tree (and this process) during `work`, in ms. */
export const cpuDuring = async <T>(trees: Record<string, number>, work: () => Promise<T>) => {
  const before = Object.fromEntries(Object.entries(trees).map(([k, pid]) => [k, treeCpuMs(pid)]));
  const self = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(self);
  const ms: Record<string, number> = Object.fromEntries(Object.entries(trees).map(([k, pid]) => [k, treeCpuMs(pid) - before[k]]));
  ms['load generator'] = (used.user + used.system) / 1000;
  return { value, ms };
};
