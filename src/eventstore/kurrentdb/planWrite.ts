import { jsonEvent, type AppendStreamState, type EventData } from '@kurrent/kurrentdb-client';
import type { StreamWrite } from '../contract.js';
import { chainHash, ZERO_HASH } from '../hashChain.js';
import { deriveEventId } from './eventId.js';
import { exactStateFor, type StreamHead } from './expectedVersion.js';
import { encodeMetadata } from './storedMetadata.js';
import { commandIdOf } from './validateWrites.js';

export type PlannedWrite = {
  stream: string;
  /** Always exact: the hashes below are only right if the stream is still at the head they were built on. */
  expectedState: AppendStreamState;
  events: EventData[];
  ids: string[];
  firstVersion: bigint;
  lastVersion: bigint;
};

/**
 * The events to send for one stream on top of `head`: versions, the per-stream hash chain (the same content
 * and order as Postgres, so verifyChains works on either store), deterministic ids, `recordedAt` stamped now.
 */
export const planWrite = (w: StreamWrite, head: StreamHead | undefined, now: string, writeId: string): PlannedWrite => {
  const commandId = commandIdOf(w);
  let version = head?.version ?? 0n;
  let hash = head?.hash ?? ZERO_HASH;
  const ids: string[] = [];
  const events = w.events.map((e, index) => {
    version += 1n;
    const metadata = { ...e.metadata, recordedAt: e.metadata?.recordedAt ?? now };
    hash = chainHash(hash, { stream: w.stream, version, type: e.type, data: e.data, metadata });
    const id = deriveEventId(w.stream, commandId, index);
    ids.push(id);
    return jsonEvent({ id, type: e.type, data: e.data, metadata: encodeMetadata({ metadata, hash, writeId }) });
  });
  const firstVersion = (head?.version ?? 0n) + 1n;
  return { stream: w.stream, expectedState: exactStateFor(head), events, ids, firstVersion, lastVersion: version };
};
