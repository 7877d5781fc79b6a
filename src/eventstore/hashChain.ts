import { createHash } from 'node:crypto';

/** The chain starts from 32 zero bytes. */
export const ZERO_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level and no whitespace: one text per value. Built by concatenation
 * (no per-key arrays): it runs for every event appended, twice per imported row.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // As JSON.stringify does (a Date becomes its ISO text), so that what is hashed is what is stored.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
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
 * SHA-256(previous hash ‖ canonical JSON of the event's content), hex, from data and metadata already in canonical
 * JSON (the append stores those same texts, so each is serialised once). The text is exactly
 * canonicalJson({ type, data, metadata, stream, version }): keys in sorted order.
 */
export const chainHashOfJson = (
  previousHash: string,
  e: { stream: string; version: bigint; type: string; dataJson: string; metadataJson: string },
): string =>
  createHash('sha256')
    .update(Buffer.from(previousHash, 'hex'))
    .update(
      `{"data":${e.dataJson},"metadata":${e.metadataJson},"stream":${JSON.stringify(e.stream)},` +
        `"type":${JSON.stringify(e.type)},"version":${JSON.stringify(e.version.toString())}}`,
    )
    .digest('hex');

/** SHA-256(previous hash ‖ canonical JSON of the event's content), hex. */
export const chainHash = (previousHash: string, e: ChainContent): string =>
  chainHashOfJson(previousHash, { ...e, dataJson: canonicalJson(e.data), metadataJson: canonicalJson(e.metadata) });
