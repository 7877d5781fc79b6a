import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestStore } from '../../support/pgStore.js';

/**
 * Concurrent appends are grouped into one INSERT (one commit). A caller whose write cannot go (a moved head, a
 * retried command, content PostgreSQL refuses) must get its own answer without costing the others theirs.
 */
describe('grouped appends', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    t = await createTestStore();
  });
  afterAll(async () => t.cleanup());

  const event = (n: number, commandId?: string) => ({ type: 'Noted', data: { n }, metadata: commandId ? { commandId } : {} });

  it('gives each concurrent caller its own outcome and writes every good append once', async () => {
    const first = await t.store.append('s-existing', [event(0, 'cmd-earlier')], { expected: 'no_stream' });
    const good = Array.from({ length: 30 }, (_, i) => t.store.append(`s-${i}`, [event(i), event(i + 100)], { expected: 'no_stream' }));
    const conflict = t.store.append('s-existing', [event(1)], { expected: 'no_stream' });
    const retried = t.store.append('s-existing', [event(0, 'cmd-earlier')], { expected: 'no_stream' });
    const refused = t.store.append('s-nul', [{ type: 'Noted', data: { text: 'a\u0000b' } }], { expected: 'no_stream' });
    const settled = await Promise.allSettled([...good, conflict, retried, refused]);

    const results = settled.slice(0, 30).map((s) => (s.status === 'fulfilled' ? s.value : s.reason));
    expect(results.every((r) => r.nextExpectedVersion === 2n && r.positions.length === 2 && !r.duplicate)).toBe(true);
    expect(settled[30]).toMatchObject({ status: 'rejected', reason: { code: 'STREAM_VERSION_CONFLICT' } });
    expect(settled[31]).toMatchObject({ status: 'fulfilled', value: { ...first, duplicate: true } });
    expect(settled[32]).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_EVENT' } });

    const { rows } = await t.store.pool.query<{ events: string; streams: string; commits: string }>(
      `SELECT count(*) AS events, count(DISTINCT stream) AS streams, count(DISTINCT transaction_id) AS commits FROM events`,
    );
    expect(rows[0].events).toBe(String(1 + 30 * 2));
    expect(rows[0].streams).toBe('31');
    // Grouping happened: fewer commits than appends (30 callers at once, at most two INSERTs in flight).
    expect(Number(rows[0].commits)).toBeLessThan(31);
  });

  it('keeps each grouped caller atomic and its versions contiguous', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      t.store.appendMany([
        { stream: `pair-a-${i}`, events: [event(i)], expected: 'no_stream' },
        { stream: `pair-b-${i}`, events: [event(i), event(i)], expected: 'no_stream' },
      ]),
    );
    const done = await Promise.all(writes);
    for (const [a, b] of done) {
      expect(a.nextExpectedVersion).toBe(1n);
      expect(b.nextExpectedVersion).toBe(2n);
      expect(b.positions[1] - b.positions[0]).toBeGreaterThan(0n);
    }
    const { rows } = await t.store.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events a JOIN events b ON b.stream = replace(a.stream, 'pair-a-', 'pair-b-')
       WHERE a.stream LIKE 'pair-a-%' AND a.transaction_id = b.transaction_id AND b.version = 2`,
    );
    // Both streams of one appendMany always land in the same transaction.
    expect(rows[0].n).toBe('20');
  });
});
