import type { RecordedEvent } from '../contract.js';
import { revisionToVersion } from './expectedVersion.js';
import { encodeCheckpoint, type LogPosition } from './position.js';
import { decodeMetadata } from './storedMetadata.js';
import { isSystemEvent } from './systemEvents.js';

/** The fields of the client's recorded event this adapter uses (structural, so tests need no server). */
export type ClientEvent = {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
  position?: LogPosition;
};

/**
 * A client event as the contract's event, or null for system events. `position` is the commit position; the
 * checkpoint carries both. An event another tool wrote keeps its raw metadata and an empty hash, so
 * `vrs verify` reports it instead of passing it.
 */
export const toRecordedEvent = (e: ClientEvent): RecordedEvent | null => {
  if (isSystemEvent(e)) return null;
  const stored = decodeMetadata(e.metadata);
  const position = e.position ?? { commit: 0n, prepare: 0n };
  const recordedAt = stored?.metadata.recordedAt ?? e.created.toISOString();
  const raw = e.metadata && typeof e.metadata === 'object' && !(e.metadata instanceof Uint8Array) ? e.metadata : {};
  return {
    stream: e.streamId,
    version: revisionToVersion(e.revision),
    position: position.commit,
    checkpoint: encodeCheckpoint(position),
    type: e.type,
    data: e.data && typeof e.data === 'object' && !(e.data instanceof Uint8Array) ? (e.data as Record<string, unknown>) : {},
    metadata: stored?.metadata ?? { ...(raw as Record<string, unknown>), recordedAt },
    recordedAt: new Date(recordedAt),
    hash: stored?.hash ?? '',
  };
};

/** The attempt id stored with the event ('' if none): see storedMetadata.ts. */
export const writeIdOf = (e: ClientEvent): string => decodeMetadata(e.metadata)?.writeId ?? '';
