import { BACKWARDS, END, FORWARDS, type KurrentDBClient, type ReadRevision } from '@kurrent/kurrentdb-client';
import type { StreamHead } from './expectedVersion.js';
import { isStreamNotFound } from './mapError.js';
import { decodeMetadata } from './storedMetadata.js';
import type { ClientEvent } from './toRecordedEvent.js';

type StreamReadOptions = { from: ReadRevision; direction: typeof FORWARDS | typeof BACKWARDS; maxCount?: bigint; leader?: boolean };

/** A stream's events as the client gives them; a stream that does not exist is empty. */
export async function* readClientStream(client: KurrentDBClient, stream: string, o: StreamReadOptions): AsyncGenerator<ClientEvent> {
  try {
    const events = client.readStream(stream, {
      fromRevision: o.from,
      direction: o.direction,
      maxCount: o.maxCount ?? BigInt(Number.MAX_SAFE_INTEGER),
      // Read-your-writes in a cluster: a follower may not have the write we just made yet.
      requiresLeader: o.leader ?? false,
    });
    for await (const r of events) if (r.event) yield r.event as ClientEvent;
  } catch (e) {
    if (!isStreamNotFound(e)) throw e;
  }
}

export type StreamTail = { head: StreamHead | undefined; earlier: ClientEvent[] | undefined };

/**
 * The stream's head (version and chain hash of its last event) and, when ids are given, the events an earlier
 * try of the same command wrote. Reads backwards from the end and stops once those are found; without ids it
 * reads only the last event.
 */
export const readStreamTail = async (client: KurrentDBClient, stream: string, ids?: string[]): Promise<StreamTail> => {
  let head: StreamHead | undefined;
  const wanted = new Set(ids ?? []);
  const found: ClientEvent[] = [];
  const maxCount = ids ? undefined : 1n;
  for await (const e of readClientStream(client, stream, { from: END, direction: BACKWARDS, maxCount, leader: true })) {
    head ??= { version: e.revision + 1n, hash: decodeMetadata(e.metadata)?.hash ?? '' };
    if (wanted.has(e.id)) found.push(e);
    if (found.length === wanted.size) break;
  }
  const earlier = ids && found.length > 0 ? found.sort((a, b) => (a.revision < b.revision ? -1 : 1)) : undefined;
  return { head, earlier };
};

/** The events a write just made, read back from the leader for their log positions and attempt ids. */
export const readWritten = async (client: KurrentDBClient, stream: string, firstRevision: bigint, count: number): Promise<ClientEvent[]> => {
  const out: ClientEvent[] = [];
  for await (const e of readClientStream(client, stream, { from: firstRevision, direction: FORWARDS, maxCount: BigInt(count), leader: true })) out.push(e);
  return out;
};
