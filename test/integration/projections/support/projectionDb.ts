import { randomBytes } from 'node:crypto';
import { migrate } from '../../../../src/eventstore/postgres/migrate.js';
import { blindIndexKey } from '../../../../src/personal/blindIndex.js';
import { createDataKeys } from '../../../../src/personal/dataKeys.js';
import { personalMigrations } from '../../../../src/personal/migrations.js';
import { projectionMigrations } from '../../../../src/projections/migrations.js';
import type { LedgerDeps } from '../../../../src/ledger/index.js';
import { createRecipientStatusProjection } from '../../../../src/projections/recipientStatus/recipientStatusProjection.js';
import { createTestStore } from '../../../support/pgStore.js';

/** A fresh database with the store, keys, ledger and the projection tables' migrations. */
export const createProjectionDb = async () => {
  const t = await createTestStore();
  const pool = t.store.pool;
  await migrate(pool, 'personal', personalMigrations);
  await migrate(pool, 'projections', projectionMigrations);
  const dataKeys = createDataKeys(pool, randomBytes(32));
  const ledger: LedgerDeps = { store: t.store, dataKeys, hmacKey: randomBytes(32) };
  return {
    ...t,
    pool,
    dataKeys,
    ledger,
    recipientStatus: () => createRecipientStatusProjection(dataKeys.getMany, blindIndexKey(ledger.hmacKey)),
  };
};
export type ProjectionDb = Awaited<ReturnType<typeof createProjectionDb>>;

export const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

export const waitFor = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
