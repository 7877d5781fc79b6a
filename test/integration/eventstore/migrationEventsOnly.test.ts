import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestDatabase } from '../../support/database.js';
import { createPostgresEventStore } from '../../../src/eventstore/postgres/store.js';
import { migrate } from '../../../src/eventstore/postgres/migrate.js';
import { eventStoreMigrations } from '../../../src/eventstore/postgres/migrations/index.js';
import { chainHash, ZERO_HASH } from '../../../src/eventstore/hashChain.js';
import { verifyChains } from '../../../src/eventstore/verifyChains.js';

/**
 * A database written by the first schema (heads and command ids in their own tables, appends through
 * vrs_append) keeps its idempotency and its chains after migration 2 moves both onto the events table.
 */
describe('migration 2: events only', () => {
  const stream = 'recipient-131016-0000000001';
  const metadata = { commandId: 'cmd-register', recordedAt: '2026-11-25T00:00:00.000Z' };
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ReturnType<typeof createPostgresEventStore>;
  let firstPositions: bigint[];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore({ connectionString: db.url, pollMs: 50 });
    await migrate(store.pool, 'eventstore', eventStoreMigrations.filter((m) => m.id === 1));
    // Two events of one command, written the way the first schema's store did.
    const h1 = chainHash(ZERO_HASH, { stream, version: 1n, type: 'A', data: { n: 1 }, metadata });
    const h2 = chainHash(h1, { stream, version: 2n, type: 'B', data: { n: 2 }, metadata });
    const { rows } = await store.pool.query<{ positions: string[] }>(
      `SELECT positions FROM vrs_append($1::text[], '{0}'::bigint[], '{2}'::bigint[], $2::bytea[], '{cmd-register}'::text[],
        $3::text[], '{1,2}'::bigint[], '{A,B}'::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::bytea[])`,
      [[stream], [Buffer.from(h2, 'hex')], [stream, stream], ['{"n":1}', '{"n":2}'], [JSON.stringify(metadata), JSON.stringify(metadata)],
        [metadata.recordedAt, metadata.recordedAt], [Buffer.from(h1, 'hex'), Buffer.from(h2, 'hex')]],
    );
    firstPositions = rows[0].positions.map(BigInt);
    expect(await migrate(store.pool, 'eventstore', eventStoreMigrations)).toEqual([2]);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('answers a retried command written before the migration with its first result', async () => {
    const retry = await store.append(stream, [{ type: 'A', data: { n: 1 }, metadata: { commandId: 'cmd-register' } }], { expected: 'any' });
    expect(retry).toEqual({ stream, nextExpectedVersion: 2n, positions: firstPositions, duplicate: true });
    const { rows } = await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    expect(rows[0].n).toBe('2');
  });

  it('continues the stream and its chain from the last event', async () => {
    await expect(store.append(stream, [{ type: 'C', data: {} }], { expected: 1n })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
    const next = await store.append(stream, [{ type: 'C', data: {} }], { expected: 2n });
    expect(next.nextExpectedVersion).toBe(3n);
    expect(await verifyChains(store)).toMatchObject({ streams: 1, events: 3, breaks: [] });
  });

  it('has dropped the tables and function the first schema needed', async () => {
    const { rows } = await store.pool.query<{ streams: string | null; commands: string | null }>(
      `SELECT to_regclass('streams')::text AS streams, to_regclass('stream_commands')::text AS commands`,
    );
    expect(rows[0]).toEqual({ streams: null, commands: null });
  });
});
