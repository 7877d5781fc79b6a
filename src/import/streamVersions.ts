import type pg from 'pg';
import type { EventStore } from '../eventstore/contract.js';

/**
 * The current version of each of `streams` that exists (absent from the map = no such stream).
 *
 * PostgreSQL fast path: one `stream = ANY($1)` query on the store's `streams` head table, so a batch of
 * a thousand rows costs one round trip. Any other store (KurrentDB) falls back to reading each stream,
 * which is correct but slow: one read per stream.
 */
export const streamVersions = async (store: EventStore, pool: pg.Pool | undefined, streams: string[]): Promise<Map<string, bigint>> => {
  if (streams.length === 0) return new Map();
  if (store.name === 'postgres' && pool) {
    const { rows } = await pool.query<{ stream: string; version: string }>(
      'SELECT stream, version FROM streams WHERE stream = ANY($1::text[])',
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
