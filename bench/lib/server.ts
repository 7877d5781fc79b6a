import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/eventstore/embedded.js';

export type BenchServer = { url: string; stop: () => Promise<void> };

/**
 * A fresh embedded PostgreSQL in a new temp folder, with production durability (no fsync override), removed
 * again on stop.
 */
export const startBenchServer = async (): Promise<BenchServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-'));
  try {
    const pg = await startEmbeddedPostgres({ dataDir });
    return {
      url: pg.url,
      stop: async () => {
        try {
          await pg.stop();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
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
