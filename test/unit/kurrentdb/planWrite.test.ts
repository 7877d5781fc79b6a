import { describe, it, expect } from '@jest/globals';
import { NO_STREAM } from '@kurrent/kurrentdb-client';
import type { EventStore, RecordedEvent } from '../../../src/eventstore/contract.js';
import { chainHash, ZERO_HASH } from '../../../src/eventstore/hashChain.js';
import { verifyChains } from '../../../src/eventstore/verifyChains.js';
import { deriveEventId } from '../../../src/eventstore/kurrentdb/eventId.js';
import { planWrite } from '../../../src/eventstore/kurrentdb/planWrite.js';
import { decodeMetadata } from '../../../src/eventstore/kurrentdb/storedMetadata.js';
import { toRecordedEvent, type ClientEvent } from '../../../src/eventstore/kurrentdb/toRecordedEvent.js';
import { validateWrites } from '../../../src/eventstore/kurrentdb/validateWrites.js';

const NOW = '2024-06-01T09:00:00.000Z';

/** What the server would hand back for a planned write: revisions from 0, positions increasing. */
const stored = (plan: ReturnType<typeof planWrite>, startPosition: bigint): ClientEvent[] =>
  plan.events.map((e, i) => ({
    streamId: plan.stream,
    id: e.id,
    revision: plan.firstVersion - 1n + BigInt(i),
    type: e.type,
    data: JSON.parse(JSON.stringify(e.data)),
    // Metadata travels as JSON: what comes back is what JSON makes of it.
    metadata: JSON.parse(JSON.stringify(e.metadata)),
    created: new Date(NOW),
    position: { commit: startPosition + BigInt(i) * 100n, prepare: startPosition + BigInt(i) * 100n },
  }));

describe('KurrentDB write planning', () => {
  it('numbers from the head, chains hashes exactly as hashChain.ts does, and writes on the exact revision', () => {
    const plan = planWrite(
      { stream: 's-1', events: [{ type: 'A', data: { n: 1 }, metadata: { commandId: 'c1' } }, { type: 'B', data: { n: 2 }, metadata: { commandId: 'c1' } }] },
      undefined,
      NOW,
      'write-1',
    );
    expect(plan.expectedState).toBe(NO_STREAM);
    expect([plan.firstVersion, plan.lastVersion]).toEqual([1n, 2n]);
    expect(plan.ids).toEqual([deriveEventId('s-1', 'c1', 0), deriveEventId('s-1', 'c1', 1)]);
    const h1 = chainHash(ZERO_HASH, { stream: 's-1', version: 1n, type: 'A', data: { n: 1 }, metadata: { commandId: 'c1', recordedAt: NOW } });
    const h2 = chainHash(h1, { stream: 's-1', version: 2n, type: 'B', data: { n: 2 }, metadata: { commandId: 'c1', recordedAt: NOW } });
    expect(plan.events.map((e) => decodeMetadata(e.metadata)?.hash)).toEqual([h1, h2]);
    expect(decodeMetadata(plan.events[0].metadata)?.writeId).toBe('write-1');

    const next = planWrite({ stream: 's-1', events: [{ type: 'C', data: {} }] }, { version: 2n, hash: h2 }, NOW, 'write-2');
    expect(next.expectedState).toBe(1n);
    expect(next.firstVersion).toBe(3n);
  });

  it('keeps a recordedAt the caller gave', () => {
    const plan = planWrite({ stream: 's', events: [{ type: 'A', data: {}, metadata: { recordedAt: '2021-01-01T00:00:00.000Z' } }] }, undefined, NOW, 'w');
    expect(decodeMetadata(plan.events[0].metadata)?.metadata.recordedAt).toBe('2021-01-01T00:00:00.000Z');
  });

  it('sends only string metadata values, as multi-stream append requires', () => {
    const plan = planWrite({ stream: 's', events: [{ type: 'A', data: {}, metadata: { actor: { role: 'site', sub: 'x' }, n: 3 } }] }, undefined, NOW, 'w');
    for (const v of Object.values(plan.events[0].metadata as Record<string, unknown>)) expect(typeof v).toBe('string');
  });

  it('produces chains that verifyChains accepts once stored, and flags an edited event', async () => {
    const first = planWrite({ stream: 's-1', events: [{ type: 'A', data: { n: 1, text: '接種券' } }, { type: 'A', data: { n: 2 } }] }, undefined, NOW, 'w1');
    const firstStored = stored(first, 100n);
    const last = toRecordedEvent(firstStored[1])!;
    const second = planWrite({ stream: 's-1', events: [{ type: 'B', data: { n: 3 } }] }, { version: last.version, hash: last.hash }, NOW, 'w2');
    const other = planWrite({ stream: 's-2', events: [{ type: 'A', data: { n: 9 } }] }, undefined, NOW, 'w3');
    const all = [...firstStored, ...stored(other, 300n), ...stored(second, 400n)].map((e) => toRecordedEvent(e)!);
    const storeOf = (events: RecordedEvent[]): Pick<EventStore, 'readAll' | 'settled'> => ({
      settled: async () => {},
      readAll: async function* () {
        yield* events;
      },
    });
    expect(await verifyChains(storeOf(all))).toMatchObject({ streams: 2, events: 4, breaks: [] });
    const edited = all.map((e, i) => (i === 1 ? { ...e, data: { n: 20 } } : e));
    expect((await verifyChains(storeOf(edited))).breaks).toHaveLength(1);
  });
});

describe('KurrentDB write validation', () => {
  it('refuses what the Postgres adapter refuses, and $-streams', () => {
    const ev = { type: 'A', data: {} };
    expect(() => validateWrites([])).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => validateWrites([{ stream: '', events: [ev] }])).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => validateWrites([{ stream: 'a', events: [] }])).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => validateWrites([{ stream: 'a', events: [ev] }, { stream: 'a', events: [ev] }])).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => validateWrites([{ stream: '$settings', events: [ev] }])).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() =>
      validateWrites([{ stream: 'a', events: [{ ...ev, metadata: { commandId: 'x' } }, { ...ev, metadata: { commandId: 'y' } }] }]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => validateWrites([{ stream: 'a', events: [ev] }, { stream: 'b', events: [ev] }])).not.toThrow();
  });
});
