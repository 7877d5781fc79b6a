import { createHash } from 'node:crypto';

/** The chain starts from 32 zero bytes. */
export const ZERO_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
};

export type ChainContent = {
  stream: string;
  version: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
};

/** SHA-256(previous hash ‖ canonical JSON of the event's content), hex. */
export const chainHash = (previousHash: string, e: ChainContent): string =>
  createHash('sha256')
    .update(Buffer.from(previousHash, 'hex'))
    .update(
      canonicalJson({ type: e.type, data: e.data, metadata: e.metadata, stream: e.stream, version: e.version.toString() }),
    )
    .digest('hex');
