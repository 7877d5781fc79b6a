import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { BulkEvent } from '../../../src/eventstore/contract.js';
import { createTestStore } from '../../support/pgStore.js';

/** A rebuild's bulk read (PostgreSQL) must give what readAll gives, field for field, in the same order. */
describe('readAllBulk', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => (t = await createTestStore()));
  afterAll(async () => t.cleanup());

  const pick = (e: BulkEvent): BulkEvent => ({
    stream: e.stream, version: e.version, position: e.position, checkpoint: e.checkpoint, type: e.type, data: e.data, recordedAt: e.recordedAt,
  });

  it('equals readAll over several batches, from the start and after a checkpoint', async () => {
    const start = await t.store.head();
    await t.store.appendMany(Array.from({ length: 9 }, (_, i) => ({ stream: `bulk-${i}`, events: Array.from({ length: 1 + (i % 3) }, (_, k) => ({ type: `T${k}`, data: { i, k, nested: { s: 'ア' } } })) })));
    await t.store.append('bulk-0', [{ type: 'Late', data: {}, metadata: { recordedAt: '2026-01-02T03:04:05.678Z' } }]);
    // Another test file's open transaction may hold these commits back from readers for a moment: all three reads
    // below must see the same log.
    await t.store.settled();
    for (const after of [start?.checkpoint, undefined]) {
      const expected: BulkEvent[] = [];
      for await (const e of t.store.readAll({ after, batch: 4 })) expected.push(pick(e));
      expect(expected.length).toBeGreaterThanOrEqual(19); // the 18 appended together and the late one
      const got: BulkEvent[] = [];
      for await (const list of t.store.readAllBulk!({ after, batch: 4 })) {
        expect(list.length).toBeLessThanOrEqual(4);
        got.push(...list.map(pick));
      }
      expect(got).toEqual(expected);
      // The same with the data as JSON text (a rebuild's worker threads parse it).
      const text: BulkEvent[] = [];
      for await (const list of t.store.readAllBulkText!({ after, batch: 4 })) {
        expect(list.length).toBeLessThanOrEqual(4);
        text.push(...list.map((e) => pick({ ...e, data: JSON.parse(e.data) as Record<string, unknown> })));
      }
      expect(text).toEqual(expected);
    }
  });

  it('tailAllBulk gives what tailAll gives, then wakes for the next append', async () => {
    const start = await t.store.head();
    await t.store.appendMany(Array.from({ length: 5 }, (_, i) => ({ stream: `tail-${i}`, events: [{ type: 'T', data: { i } }] })));
    const abort = new AbortController();
    const expected: BulkEvent[] = [];
    for await (const list of t.store.tailAll({ after: start?.checkpoint, batch: 2, signal: abort.signal })) {
      expected.push(...list.map(pick));
      if (expected.length === 5) break;
    }
    const got: BulkEvent[] = [];
    const tail = t.store.tailAllBulk!({ after: start?.checkpoint, batch: 2, signal: abort.signal })[Symbol.asyncIterator]();
    while (got.length < 5) got.push(...((await tail.next()).value as BulkEvent[]));
    expect(got.map(pick)).toEqual(expected);
    const next = tail.next();
    await t.store.append('tail-later', [{ type: 'Later', data: {} }]);
    expect(((await next).value as BulkEvent[]).map((e) => e.type)).toEqual(['Later']);
    abort.abort();
    await tail.return?.();
  });
});
