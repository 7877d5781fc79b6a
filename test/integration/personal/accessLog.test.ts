import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { recordAccess } from '../../../src/personal/accessLog.js';
import { migrate } from '../../../src/eventstore/postgres/migrate.js';
import { personalMigrations } from '../../../src/personal/migrations.js';
import { createTestStore } from '../../support/pgStore.js';

/** A read's answer waits for its access-log row: when recordAccess resolves, the row is committed. */
describe('recordAccess (group commit)', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let other: pg.Client;
  beforeAll(async () => {
    t = await createTestStore();
    await migrate(t.store.pool, 'personal', personalMigrations);
    other = new pg.Client({ connectionString: t.url });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await t.cleanup();
  });

  it('resolves each of many concurrent callers only once its row is visible to another session', async () => {
    const actor = { role: 'auditor', sub: 'group-commit-test' };
    const seen = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const record = `recipient-131016-${String(i).padStart(10, '0')}`;
        await recordAccess(t.store.pool, actor, [record], 'GET /v1/recipients/{m}/{c}');
        const { rows } = await other.query<{ n: number }>('SELECT count(*)::int AS n FROM access_log WHERE record = $1', [record]);
        return rows[0].n;
      }),
    );
    expect(seen).toEqual(Array.from({ length: 60 }, () => 1));
  });
});
