import type pg from 'pg';
import type { ExpectedVersion, StreamWrite } from '../contract.js';
import { StreamVersionConflictError } from '../errors.js';

export type Queryable = pg.Pool | pg.PoolClient;

export type Head = { version: bigint; hash: string };

const describe = (e: ExpectedVersion) => (typeof e === 'bigint' ? e.toString() : e);

export const checkExpected = (stream: string, expected: ExpectedVersion, head: Head | undefined) => {
  const actual = head?.version ?? 0n;
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && !head) ||
    (expected === 'exists' && !!head) ||
    (typeof expected === 'bigint' && expected === actual);
  if (!ok) throw new StreamVersionConflictError(stream, describe(expected), head ? actual.toString() : 'no_stream');
};

export const readHeads = async (db: Queryable, streams: string[]): Promise<Map<string, Head>> => {
  const { rows } = await db.query<{ stream: string; version: string; hash: Buffer }>({
    name: 'vrs-heads',
    // A stream's head is its last event: one probe of the (stream, version) index per stream.
    text: `SELECT s.stream, h.version, h.hash FROM unnest($1::text[]) AS s(stream)
      CROSS JOIN LATERAL (SELECT e.version, e.hash FROM events e WHERE e.stream = s.stream ORDER BY e.version DESC LIMIT 1) h`,
    values: [streams],
  });
  return new Map(rows.map((r) => [r.stream, { version: BigInt(r.version), hash: r.hash.toString('hex') }]));
};

/**
 * Heads known without a read (first attempt only): a new stream (`no_stream`: creating it detects one that
 * exists), or a head the caller read with the stream (or this process last wrote), unless an exact expectation
 * disagrees with it. A hint that is stale makes the INSERT collide, and the next attempt reads.
 */
export const hintedHeads = (writes: StreamWrite[]): Map<string, Head> | null => {
  const heads = new Map<string, Head>();
  for (const w of writes) {
    if (w.expected === 'no_stream') continue;
    if (!w.head || w.head.version === 0n || (typeof w.expected === 'bigint' && w.expected !== w.head.version)) return null;
    heads.set(w.stream, w.head);
  }
  return heads;
};
