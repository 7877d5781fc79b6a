// Plain ESM so jest loads it natively; the TypeScript starter is loaded through tsx.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

/** One real PostgreSQL for the whole run (unless DATABASE_URL points at one); each test file makes its own database. */
export default async () => {
  if (process.env.DATABASE_URL) {
    process.env.VRS_TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const { startEmbeddedPostgres } = await tsImport('../../src/eventstore/embedded.ts', import.meta.url);
  const dataDir = await mkdtemp(join(tmpdir(), 'vrs-test-'));
  const pg = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'off', synchronous_commit: 'off' } });
  process.env.VRS_TEST_DATABASE_URL = pg.url;
  globalThis.__vrsPg = pg;
};
