import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import type { RecordedEvent } from '../../../src/eventstore/contract.js';
import { createTestStore } from '../../support/pgStore.js';
import { waitFor } from '../../contract/eventStoreContract.js';

/**
 * Positions are taken at INSERT, but transactions commit in any order. Transaction A takes a position and stays
 * open while B takes a higher one and commits. A subscriber that read B now would move its checkpoint past A's
 * position and never deliver A. The guard in src/eventstore/postgres/readBatch.ts (read only transactions below
 * pg_snapshot_xmin(pg_current_snapshot())) holds B back until A ends.
 * Removing that guard makes both tests below fail: B arrives while A is open, and A is never delivered.
 */
describe('subscription across a late commit', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => (t = await createTestStore()));
  afterAll(async () => t.cleanup());

  const openTransactionWithEvent = async (stream: string) => {
    const a = new pg.Client({ connectionString: t.url });
    await a.connect();
    await a.query('BEGIN');
    const { rows } = await a.query<{ position: string }>(
      `INSERT INTO events (stream, version, type, data, metadata, recorded_at, hash)
       VALUES ($1, 1, 'Late', '{}', '{"recordedAt":"2026-01-01T00:00:00Z"}', now(), '\\x00') RETURNING position`,
      [stream],
    );
    return { client: a, position: BigInt(rows[0].position) };
  };

  const watch = (after?: string) => {
    const seen: RecordedEvent[] = [];
    const sub = t.store.subscribeAll({ after }).subscribe((e) => seen.push(e));
    return { seen, stop: () => sub.unsubscribe() };
  };

  it('delivers a later-committed lower position, and nothing after it until it commits', async () => {
    const start = await t.store.head();
    const w = watch(start?.checkpoint);
    const a = await openTransactionWithEvent('gap-a');
    const b = await t.store.append('gap-b', [{ type: 'Early', data: {} }]);
    expect(b.positions[0]).toBeGreaterThan(a.position);
    await new Promise((r) => setTimeout(r, 400)); // several poll rounds while A is open
    expect(w.seen.map((e) => e.stream)).toEqual([]);
    await a.client.query('COMMIT');
    await a.client.end();
    await waitFor(() => w.seen.length === 2);
    w.stop();
    expect(w.seen.map((e) => e.stream)).toEqual(['gap-a', 'gap-b']);
  });

  it('delivers the later event when the earlier transaction rolls back', async () => {
    const start = await t.store.head();
    const w = watch(start?.checkpoint);
    const a = await openTransactionWithEvent('gap-c');
    await t.store.append('gap-d', [{ type: 'Early', data: {} }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.seen).toHaveLength(0);
    await a.client.query('ROLLBACK');
    await a.client.end();
    await waitFor(() => w.seen.length === 1);
    w.stop();
    expect(w.seen.map((e) => e.stream)).toEqual(['gap-d']);
  });

  it('settles only once the transactions open when asked have ended, and then readAll holds their commits', async () => {
    const a = await openTransactionWithEvent('gap-e');
    await t.store.append('gap-f', [{ type: 'Early', data: {} }]);
    let settled = false;
    const waiting = t.store.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await a.client.query('COMMIT');
    await a.client.end();
    await waiting;
    const streams: string[] = [];
    for await (const e of t.store.readAll({ batch: 1000 })) streams.push(e.stream);
    expect(streams).toEqual(expect.arrayContaining(['gap-e', 'gap-f']));
  });

  it('stops waiting to settle when its signal aborts', async () => {
    const a = await openTransactionWithEvent('gap-g');
    await t.store.append('gap-h', [{ type: 'Early', data: {} }]); // a commit that A now holds back from readers
    const abort = new AbortController();
    const waiting = t.store.settled({ signal: abort.signal });
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await a.client.query('ROLLBACK');
    await a.client.end();
  });

  it('lists an open write transaction, oldest first, with its database and age, and not once it ended', async () => {
    const a = await openTransactionWithEvent('gap-i');
    const { rows: [{ pid, db }] } = await a.client.query<{ pid: number; db: string }>('SELECT pg_backend_pid() AS pid, current_database() AS db');
    await new Promise((r) => setTimeout(r, 200));
    const open = await t.store.openWrites!();
    const mine = open.find((w) => w.pid === pid);
    expect(mine).toMatchObject({ database: db, state: 'idle in transaction' });
    expect(mine!.seconds).toBeGreaterThanOrEqual(0.2);
    const ages = open.map((w) => w.seconds ?? 0);
    expect(ages).toEqual([...ages].sort((x, y) => y - x));
    await a.client.query('ROLLBACK');
    expect((await t.store.openWrites!()).map((w) => w.pid)).not.toContain(pid);
    await a.client.end();
  });
});
