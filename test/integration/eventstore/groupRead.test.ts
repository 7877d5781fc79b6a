import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestStore } from '../../support/pgStore.js';
import type { RecordedEvent } from '../../../src/eventstore/contract.js';

/** Concurrent whole-stream reads share one statement; each reader must still get exactly its own stream. */
describe('grouped stream reads', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    t = await createTestStore();
    for (let i = 0; i < 20; i++) await t.store.append(`short-${i}`, Array.from({ length: 1 + (i % 4) }, (_, n) => ({ type: 'Noted', data: { i, n } })));
    // Longer than one page (1,000): the reader continues alone after the grouped first page.
    for (let b = 0; b < 3; b++) await t.store.append('long', Array.from({ length: 900 }, (_, n) => ({ type: 'Noted', data: { n: b * 900 + n } })));
  });
  afterAll(async () => t.cleanup());

  const readAll = async (stream: string) => {
    const out: RecordedEvent[] = [];
    for await (const e of t.store.readStream(stream)) out.push(e);
    return out;
  };

  it('answers each of many concurrent readers with its own stream, whole and in order', async () => {
    const streams = [...Array.from({ length: 20 }, (_, i) => `short-${i}`), 'long', 'absent', 'short-3', 'long'];
    const read = await Promise.all(streams.map(readAll));
    read.forEach((events, k) => {
      const stream = streams[k];
      const expected = stream === 'long' ? 2700 : stream === 'absent' ? 0 : 1 + (Number(stream.split('-')[1]) % 4);
      expect(events).toHaveLength(expected);
      expect(events.every((e) => e.stream === stream)).toBe(true);
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: expected }, (_, n) => BigInt(n + 1)));
    });
  });

  it('sees an append that finished before the read was asked for', async () => {
    const busy = Array.from({ length: 30 }, (_, i) => readAll(`short-${i % 20}`));
    await t.store.append('short-0', [{ type: 'Late', data: {} }]);
    const after = await readAll('short-0');
    expect(after[after.length - 1].type).toBe('Late');
    await Promise.all(busy);
  });
});
