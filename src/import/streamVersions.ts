import type pg from 'pg';
import type { EventStore } from '../eventstore/contract.js';

/**
 * The current version of each of `streams` that exists (absent from the map = no such stream).
 *
 * PostgreSQL fast path: one query for the whole batch, a probe of the events' (stream, version) index per
 * stream for its last version, so a batch of a thousand rows costs one round trip. Any other store (KurrentDB) falls back to reading each stream,
 * which is correct but slow: one read per stream.
 */
export const streamVersions = async (store: EventStore, pool: pg.Pool | undefined, streams: string[]): Promise<Map<string, bigint>> => {
  if (streams.length === 0) return new Map();
  if (store.name === 'postgres' && pool) {
    const { rows } = await pool.query<{ stream: string; version: string }>(
      `SELECT s.stream, h.version FROM unnest($1::text[]) AS s(stream)
       CROSS JOIN LATERAL (SELECT e.version FROM events e WHERE e.stream = s.stream ORDER BY e.version DESC LIMIT 1) h`,
      [streams],
    );
    return new Map(rows.map((r) => [r.stream, BigInt(r.version)]));
  }
  const found = new Map<string, bigint>();
  for (const stream of streams) {
    for await (const e of store.readStream(stream)) found.set(stream, e.version);
  }
  return found;
};
