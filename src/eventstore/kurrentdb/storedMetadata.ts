import type { RecordedEvent } from '../contract.js';

/**
 * What we put in a KurrentDB event's metadata. Multi-stream appends accept only string values, so the
 * caller's metadata travels as one JSON string; the chain hash and the id of the write attempt sit beside it.
 * The attempt id tells our own write from an identical one the server de-duplicated (same event ids).
 */
export type StoredMetadata = { metadata: RecordedEvent['metadata']; hash: string; writeId: string };

const META = 'vrs-metadata';
const HASH = 'vrs-hash';
const WRITE = 'vrs-write';

export const encodeMetadata = (m: StoredMetadata): Record<string, string> => ({
  [META]: JSON.stringify(m.metadata),
  [HASH]: m.hash,
  [WRITE]: m.writeId,
});

/** Null when the event was not written by this adapter (other tools may write to the same server). */
export const decodeMetadata = (raw: unknown): StoredMetadata | null => {
  if (!raw || typeof raw !== 'object' || raw instanceof Uint8Array) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r[META] !== 'string' || typeof r[HASH] !== 'string') return null;
  let metadata: unknown;
  try {
    metadata = JSON.parse(r[META] as string);
  } catch {
    return null;
  }
  if (!metadata || typeof metadata !== 'object' || typeof (metadata as { recordedAt?: unknown }).recordedAt !== 'string') return null;
  return { metadata: metadata as RecordedEvent['metadata'], hash: r[HASH] as string, writeId: typeof r[WRITE] === 'string' ? (r[WRITE] as string) : '' };
};
