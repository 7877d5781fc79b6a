import type { EventStore, RecordedEvent } from './contract.js';
import { chainHash, ZERO_HASH } from './hashChain.js';

export type ChainBreak = { stream: string; version: bigint; position: bigint; expected: string; found: string; why: string };
export type VerifyReport = { streams: number; events: number; breaks: ChainBreak[] };

/**
 * Recomputes every stream's hash chain from the stored content. One pass over the whole log; remembers only
 * each stream's last hash. Reports every break (an edited event breaks its own link; a deleted one the next).
 * Every event committed before the call is checked (the store settles first).
 */
export const verifyChains = async (
  store: Pick<EventStore, 'readAll' | 'settled'>,
  onProgress: (events: number) => void = () => {},
): Promise<VerifyReport> => {
  const last = new Map<string, { version: bigint; hash: string }>();
  const breaks: ChainBreak[] = [];
  let events = 0;
  await store.settled();
  const check = (e: RecordedEvent) => {
    const prev = last.get(e.stream) ?? { version: 0n, hash: ZERO_HASH };
    if (e.version !== prev.version + 1n) {
      breaks.push({ stream: e.stream, version: e.version, position: e.position, expected: `version ${prev.version + 1n}`, found: `version ${e.version}`, why: 'missing version' });
    }
    const expected = chainHash(prev.hash, e);
    if (expected !== e.hash) {
      breaks.push({ stream: e.stream, version: e.version, position: e.position, expected, found: e.hash, why: 'hash mismatch' });
    }
    last.set(e.stream, { version: e.version, hash: e.hash });
  };
  for await (const e of store.readAll({ batch: 5000 })) {
    check(e);
    if (++events % 100_000 === 0) onProgress(events);
  }
  return { streams: last.size, events, breaks };
};
