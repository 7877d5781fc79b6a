import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../eventstore/embedded.js';
import { handToPostgres, pgCtl } from '../runtime/pgBinaries.js';

/** The pid and port of the postmaster running on a cluster folder (from postmaster.pid), or null. */
export const postmasterOf = async (pgDir: string): Promise<{ pid: number; port: number } | null> => {
  try {
    const lines = (await readFile(join(pgDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    process.kill(pid, 0);
    return { pid, port: Number(lines[3]) };
  } catch {
    return null;
  }
};

/** pg_ctl's log, inside the cluster (the only place the PostgreSQL OS user may write); base backups skip `log/`. */
export const clusterLog = (pgDir: string) => join(pgDir, 'log', 'pg_ctl.log');

/**
 * Starts PostgreSQL on a cluster folder with pg_ctl, detached (it keeps running after this command ends, as a
 * standby must), logging to `<pgDir>/log/pg_ctl.log`. Returns the port.
 */
export const startCluster = async (pgDir: string, options: { port?: number; settings?: Record<string, string> } = {}): Promise<number> => {
  const port = options.port ?? (await freePort());
  await mkdir(join(pgDir, 'log'), { recursive: true, mode: 0o700 });
  await handToPostgres(pgDir);
  // A recovering server needs at least the primary's limits (the embedded primary runs with max_connections=200).
  const settings = { max_connections: '200', max_wal_senders: '10', max_replication_slots: '10', ...options.settings };
  const flags = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const log = clusterLog(pgDir);
  await pgCtl(['start', '-D', pgDir, '-l', log, '-w', '-t', '300', '-o', flags]).catch(async (e: Error) => {
    const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
    throw new Error(`${e.message}\n${tail}`);
  });
  return port;
};

export const stopCluster = (pgDir: string) => pgCtl(['stop', '-D', pgDir, '-m', 'fast', '-w']);
