import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/eventstore/contract.js';
import { verifyChains } from '../../src/eventstore/verifyChains.js';
import { compareCheckpoints, isCheckpoint } from '../../src/eventstore/checkpointOrder.js';

export type StoreFactory = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

const ev = (n: number, commandId?: string): NewEvent => ({
  type: 'Tested',
  data: { n, text: '接種券 テスト' },
  metadata: commandId ? { commandId } : {},
});

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

const stream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;

/** The store contract, written against the interface only, so every adapter runs the same suite. */
export const describeEventStoreContract = (name: string, factory: StoreFactory | null, skipReason?: string) => {
  if (!factory) {
    describe(`${name} event store contract`, () => {
      it.skip(`skipped: ${skipReason}`, () => {});
    });
    return;
  }
  describe(`${name} event store contract`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ store, cleanup } = await factory()));
    afterAll(async () => cleanup?.());

    it('reads back what it appended, in order, with versions from 1', async () => {
      const s = stream();
      const r = await store.append(s, [ev(1), ev(2), ev(3)], { expected: 'no_stream' });
      expect(r.nextExpectedVersion).toBe(3n);
      expect(r.positions).toHaveLength(3);
      const read = await collect(store.readStream(s));
      expect(read.map((e) => [e.version, e.data.n, e.data.text])).toEqual([
        [1n, 1, '接種券 テスト'],
        [2n, 2, '接種券 テスト'],
        [3n, 3, '接種券 テスト'],
      ]);
      expect(read.map((e) => e.position)).toEqual(r.positions);
      expect(typeof read[0].metadata.recordedAt).toBe('string');
      const from2 = await collect(store.readStream(s, { from: 2n }));
      expect(from2.map((e) => e.version)).toEqual([2n, 3n]);
    });

    it('enforces expected versions and writes nothing on a conflict', async () => {
      const s = stream();
      await expect(store.append(s, [ev(1)], { expected: 'exists' })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      await expect(store.append(s, [ev(1)], { expected: 5n })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      await store.append(s, [ev(1)], { expected: 'no_stream' });
      await expect(store.append(s, [ev(2)], { expected: 'no_stream' })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      await expect(store.append(s, [ev(2)], { expected: 0n })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      await expect(store.append(s, [ev(2)], { expected: 2n })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      expect((await store.append(s, [ev(2)], { expected: 1n })).nextExpectedVersion).toBe(2n);
      expect((await store.append(s, [ev(3)], { expected: 'exists' })).nextExpectedVersion).toBe(3n);
      expect((await store.append(s, [ev(4)], { expected: 'any' })).nextExpectedVersion).toBe(4n);
      expect((await collect(store.readStream(s))).map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
    });

    it('lets exactly one of 50 concurrent appends with the same expected version win, leaving no gaps', async () => {
      const s = stream();
      await store.append(s, [ev(0)], { expected: 'no_stream' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => store.append(s, [ev(i + 1)], { expected: 1n })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const o of outcomes.filter((o) => o.status === 'rejected')) {
        expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      }
      // Appends with `any` all land, each on its own version, however hot the stream (losers queue on a lock).
      await Promise.all(Array.from({ length: 60 }, (_, i) => store.append(s, [ev(100 + i)], { expected: 'any' })));
      const versions = (await collect(store.readStream(s))).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: 62 }, (_, i) => BigInt(i + 1)));
    });

    it('returns the first result for a retried commandId and writes nothing more', async () => {
      const s = stream();
      const commandId = randomUUID();
      const first = await store.append(s, [ev(1, commandId), ev(2, commandId)], { expected: 'no_stream' });
      // A retry after a lost answer comes with the same expectation as the first try.
      const again = await store.append(s, [ev(1, commandId), ev(2, commandId)], { expected: 'no_stream' });
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ ...first, duplicate: true });
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, () => store.append(s, [ev(3, 'same-retry')], { expected: 'any' })),
      );
      expect(concurrent.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(concurrent.map((r) => r.positions[0])).size).toBe(1);
      expect(await collect(store.readStream(s))).toHaveLength(3);
    });

    it('takes a head the caller just read, and still refuses it once the stream has moved', async () => {
      const s = stream();
      await store.append(s, [ev(1)]);
      const [first] = await collect(store.readStream(s));
      const head = { version: first.version, hash: first.hash };
      expect((await store.append(s, [ev(2)], { expected: 1n, head })).nextExpectedVersion).toBe(2n);
      await expect(store.append(s, [ev(3)], { expected: 1n, head })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      expect((await verifyChains(store)).breaks).toEqual([]);
      expect((await collect(store.readStream(s))).map((e) => e.data.n)).toEqual([1, 2]);
    });

    it('tells the current version of many streams at once, and leaves out the ones that do not exist', async () => {
      const [a, b, none] = [stream(), stream(), stream()];
      await store.append(a, [ev(1), ev(2)], { expected: 'no_stream' });
      await store.append(b, [ev(1)], { expected: 'no_stream' });
      const versions = await store.streamVersions([a, b, none]);
      expect([...versions].sort()).toEqual([[a, 2n], [b, 1n]].sort());
      expect(await store.streamVersions([])).toEqual(new Map());
    });

    it('writes checkpoints in the contract\'s format, increasing in read order', async () => {
      const s = stream();
      await store.append(s, [ev(1), ev(2)], { expected: 'no_stream' });
      await store.append(s, [ev(3)], { expected: 2n });
      await store.settled(); // another test's open transaction may hold the commits back from readers until then
      const all = (await collect(store.readAll({ batch: 1000 }))).filter((e) => e.stream === s);
      expect(all.map((e) => isCheckpoint(e.checkpoint))).toEqual([true, true, true]);
      expect(compareCheckpoints(all[0].checkpoint, all[1].checkpoint)).toBe(-1);
      expect(compareCheckpoints(all[2].checkpoint, all[1].checkpoint)).toBe(1);
      expect(compareCheckpoints(all[2].checkpoint, all[2].checkpoint)).toBe(0);
    });

    it('lists the streams under a prefix in keyset pages, when the store can', async () => {
      if (!store.streamsByPrefix) return expect(store.name).toBe('kurrentdb'); // KurrentDB cannot list streams cheaply
      const prefix = `${stream('prefix')}_%-`; // LIKE's own characters are taken literally
      const names = ['a', 'b', 'c'].map((x) => `${prefix}${x}`);
      for (const n of [...names].reverse()) await store.append(n, [ev(1), ev(2)], { expected: 'no_stream' });
      await store.append(`${prefix.slice(0, -3)}xx-a`, [ev(1)], { expected: 'no_stream' });
      expect(await store.streamsByPrefix(prefix, { limit: 2 })).toEqual(names.slice(0, 2));
      expect(await store.streamsByPrefix(prefix, { after: names[1], limit: 2 })).toEqual(names.slice(2));
    });

    it('reads a stream as it was at a time', async () => {
      const s = stream();
      await store.append(s, [ev(1)]);
      await new Promise((r) => setTimeout(r, 20));
      const between = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await store.append(s, [ev(2)]);
      expect((await collect(store.readStream(s, { until: between }))).map((e) => e.data.n)).toEqual([1]);
      expect(await collect(store.readStream(s))).toHaveLength(2);
    });

    it('appends several streams atomically: one conflict writes none of them', async () => {
      const a = stream();
      const b = stream();
      await store.append(b, [ev(1)]);
      await expect(
        store.appendMany([
          { stream: a, events: [ev(1)], expected: 'no_stream' },
          { stream: b, events: [ev(2)], expected: 'no_stream' },
        ]),
      ).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      expect(await collect(store.readStream(a))).toHaveLength(0);
      const ok = await store.appendMany([
        { stream: a, events: [ev(1)], expected: 'no_stream' },
        { stream: b, events: [ev(2)], expected: 1n },
      ]);
      expect(ok.map((r) => r.nextExpectedVersion)).toEqual([1n, 2n]);
    });

    it('bulk-appends many new streams in one go, chained and readable like any append', async () => {
      const [a, b, c] = [stream('bulk'), stream('bulk'), stream('bulk')];
      await store.append(c, [ev(1)], { expected: 'no_stream' });
      const result = await store.appendBulk([
        { stream: a, events: [ev(1, `bulk:${a}`), ev(2, `bulk:${a}`)], expected: 'no_stream' },
        { stream: b, events: [{ type: 'Tested', data: { n: 1, text: 'tab\there, line\nbreak, back\\slash' }, metadata: { commandId: `bulk:${b}` } }], expected: 'no_stream' },
        // A stream that exists, at the version the caller read: its head is read and the chain continues from it.
        { stream: c, events: [ev(2)], expected: 1n },
      ]);
      expect(result).toEqual({ streams: 3, events: 4 });
      expect((await collect(store.readStream(a))).map((e) => [e.version, e.data.n, e.metadata.commandId])).toEqual([
        [1n, 1, `bulk:${a}`],
        [2n, 2, `bulk:${a}`],
      ]);
      expect((await collect(store.readStream(b)))[0].data.text).toBe('tab\there, line\nbreak, back\\slash');
      expect((await collect(store.readStream(c))).map((e) => e.version)).toEqual([1n, 2n]);
      expect((await verifyChains(store)).breaks).toEqual([]);
      // The events are in the log for subscribers like any other.
      await store.settled();
      const all = (await collect(store.readAll({ batch: 1000 }))).filter((e) => e.stream === a);
      expect(all).toHaveLength(2);
      // A retried command through the ordinary append is answered with what the bulk append wrote.
      const again = await store.appendMany([{ stream: a, events: [ev(1, `bulk:${a}`), ev(2, `bulk:${a}`)], expected: 'no_stream' }]);
      expect(again[0]).toMatchObject({ duplicate: true, nextExpectedVersion: 2n });
    });

    it('bulk-appends all or nothing: a stream that exists, a stale version or a command already written fails the whole batch', async () => {
      const [a, b, taken] = [stream('bulk'), stream('bulk'), stream('bulk')];
      await store.append(taken, [ev(1, `bulk:${taken}`)], { expected: 'no_stream' });
      const fresh = [
        { stream: a, events: [ev(1, `bulk:${a}`)], expected: 'no_stream' as const },
        { stream: b, events: [ev(1, `bulk:${b}`)], expected: 'no_stream' as const },
      ];
      // Expected new, but there (the batch's last write, so the others were already sent).
      await expect(store.appendBulk([...fresh, { stream: taken, events: [ev(1, `bulk:${taken}`)], expected: 'no_stream' }])).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      // Expected at a version it is not at.
      await expect(store.appendBulk([...fresh, { stream: taken, events: [ev(2)], expected: 5n }])).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      // At the right version, but a command the stream already holds (a retry).
      await expect(store.appendBulk([...fresh, { stream: taken, events: [ev(2, `bulk:${taken}`)], expected: 1n }])).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
      // Content PostgreSQL's jsonb refuses (a NUL), on the batch's last row: the rows already sent go with it.
      if (store.name === 'postgres') await expect(store.appendBulk([...fresh, { stream: stream('bulk'), events: [{ type: 'Tested', data: { text: 'nul \u0000' } }], expected: 'no_stream' }])).rejects.toMatchObject({ code: 'INVALID_EVENT' });
      expect(await store.streamVersions([a, b, taken])).toEqual(new Map([[taken, 1n]]));
      expect((await verifyChains(store)).breaks).toEqual([]);
      expect(await store.appendBulk(fresh)).toEqual({ streams: 2, events: 2 });
      expect(await store.streamVersions([a, b])).toEqual(new Map([[a, 1n], [b, 1n]]));
    });

    it('chains every event of a stream to the one before', async () => {
      const s = stream();
      await store.append(s, [ev(1), ev(2)]);
      await store.append(s, [ev(3)]);
      const events = await collect(store.readStream(s));
      expect(new Set(events.map((e) => e.hash)).size).toBe(3);
      const report = await verifyChains(store);
      expect(report.breaks).toEqual([]);
      expect(report.events).toBeGreaterThanOrEqual(3);
    });

    it('subscribes: catches up, goes live, and resumes from a checkpoint with nothing lost or repeated', async () => {
      const s = stream('sub');
      const mine = (e: RecordedEvent) => e.stream === s;
      const start = await store.head();
      await store.append(s, [ev(1), ev(2)]);
      const all: RecordedEvent[] = [];
      const sub = store.subscribeAll({ after: start?.checkpoint }).subscribe((e) => mine(e) && all.push(e));
      await store.append(s, [ev(3)]);
      await waitFor(() => all.length === 3);
      sub.unsubscribe();
      const resumeAt = all[1].checkpoint;
      await store.append(s, [ev(4)]);
      const resumed = await firstValueFrom(
        store.subscribeAll({ after: resumeAt }).pipe(filter(mine), take(2), toArray()),
      );
      expect(all.map((e) => e.data.n)).toEqual([1, 2, 3]);
      expect(resumed.map((e) => e.data.n)).toEqual([3, 4]);
    });
  });
};

export const waitFor = async (cond: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
