import { createHash } from 'node:crypto';

/** The chain starts from 32 zero bytes. */
export const ZERO_HASH = '0'.repeat(64);

/** Sorts in place as Array.prototype.sort does for strings (UTF-16 code units); insertion sort: an event's objects
 * have a handful of keys, and the built-in sort allocates a work array on every call. */
const sortKeys = (keys: string[]): string[] => {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
};

/**
 * JSON with object keys sorted at every level and no whitespace: one text per value. Built by concatenation
 * (no per-key arrays): it runs for every event appended, twice per imported row.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // As JSON.stringify does (a Date becomes its ISO text), so that what is hashed is what is stored.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = sortKeys(Object.keys(value));
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const v = (value as Record<string, unknown>)[keys[i]];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson(v)}`;
  }
  return `${out}}`;
};

export type ChainContent = {
  stream: string;
  version: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
};

/**
 * SHA-256(previous hash ‖ canonical JSON of the event's content), from data and metadata already in canonical
 * JSON (the append stores those same texts, so each is serialised once). The text is exactly
 * canonicalJson({ type, data, metadata, stream, version }): keys in sorted order, fed to the hash in pieces (the
 * same bytes, without building the whole text). Bytes in and out: an append keeps the chain in bytes.
 */
export const chainHashBytes = (
  previousHash: Buffer,
  e: { stream: string; version: bigint; type: string; dataJson: string; metadataJson: string },
): Buffer =>
  createHash('sha256')
    .update(previousHash)
    .update('{"data":')
    .update(e.dataJson)
    .update(',"metadata":')
    .update(e.metadataJson)
    .update(`,"stream":${JSON.stringify(e.stream)},"type":${JSON.stringify(e.type)},"version":"${e.version}"}`)
    .digest();

/** chainHashBytes with the hashes in hex. */
export const chainHashOfJson = (
  previousHash: string,
  e: { stream: string; version: bigint; type: string; dataJson: string; metadataJson: string },
): string => chainHashBytes(Buffer.from(previousHash, 'hex'), e).toString('hex');

/** SHA-256(previous hash ‖ canonical JSON of the event's content), hex. */
export const chainHash = (previousHash: string, e: ChainContent): string =>
  chainHashOfJson(previousHash, { ...e, dataJson: canonicalJson(e.data), metadataJson: canonicalJson(e.metadata) });
