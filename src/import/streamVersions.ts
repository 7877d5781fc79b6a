import type pg from 'pg';
import type { EventStore } from '../eventstore/contract.js';
import { readHeads } from '../eventstore/postgres/heads.js';

/**
 * The current version of each of `streams` that exists (absent from the map = no such stream).
 *
 * PostgreSQL fast path: the store's own head query for the whole batch (one probe of the (stream, version) index
 * per stream), so a batch of a thousand rows costs one round trip. Any other store (KurrentDB) falls back to
 * reading each stream, which is correct but slow: one read per stream.
 */
export const streamVersions = async (store: EventStore, pool: pg.Pool | undefined, streams: string[]): Promise<Map<string, bigint>> => {
  if (streams.length === 0) return new Map();
  if (store.name === 'postgres' && pool) {
    const heads = await readHeads(pool, streams);
    return new Map([...heads].map(([stream, head]) => [stream, head.version]));
  }
  const found = new Map<string, bigint>();
  for (const stream of streams) {
    for await (const e of store.readStream(stream)) found.set(stream, e.version);
  }
  return found;
};
