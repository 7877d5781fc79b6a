import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { twoGenerationCache } from '../cache/twoGenerationCache.js';
import { open, seal } from './aesGcm.js';

export type DataKeys = ReturnType<typeof createDataKeys>;

/** A few hundred bytes each (Map entry, stream name, a 32-byte slice of Buffer's pool): tens of MB at most. */
const CACHED_KEYS = 100_000;

/**
 * One AES-256 data key per recipient stream, wrapped by the master key and kept in PostgreSQL.
 * `forStreams` creates them on first use; `erase` deletes one, after which the stream's personal fields are unreadable.
 */
export const createDataKeys = (pool: pg.Pool, master: Buffer, cachedKeys = CACHED_KEYS) => {
  // Keeps the keys in use. Emptying the whole cache when full, as before, made every recipient miss at once
  // past 50,000 of them.
  const cache = twoGenerationCache<string, Buffer>(cachedKeys);
  const cached = (stream: string) => cache.get(stream);
  const unwrap = (stream: string, wrapped: string) => open(master, wrapped, `key:${stream}`);

  // Keys asked for while a lookup is in flight wait for the next one, which fetches them all in one query: 50
  // concurrent readers cost a few queries (each a socket write and a server wake-up), not 50.
  let waiting = new Map<string, ((key: Buffer | null, error?: unknown) => void)[]>();
  let fetching = false;
  const drain = async () => {
    fetching = true;
    while (waiting.size > 0) {
      const batch = waiting;
      waiting = new Map();
      try {
        const { rows } = await pool.query<{ stream: string; wrapped_key: string }>({
          name: 'vrs_data_keys',
          text: 'SELECT stream, wrapped_key FROM recipient_keys WHERE stream = ANY($1::text[])',
          values: [[...batch.keys()]],
        });
        const found = new Map(rows.map((r) => [r.stream, r.wrapped_key]));
        for (const [stream, callers] of batch) {
          const wrapped = found.get(stream);
          let key: Buffer | null = null;
          try {
            if (wrapped !== undefined) remember(stream, (key = unwrap(stream, wrapped)));
          } catch (e) {
            for (const done of callers) done(null, e);
            continue;
          }
          for (const done of callers) done(key);
        }
      } catch (e) {
        for (const callers of batch.values()) for (const done of callers) done(null, e);
      }
    }
    fetching = false;
  };

  const get = async (stream: string): Promise<Buffer | null> => {
    const hit = cached(stream);
    if (hit) return hit;
    const key = new Promise<Buffer | null>((resolve, reject) => {
      const done = (k: Buffer | null, error?: unknown) => (error === undefined ? resolve(k) : reject(error));
      const callers = waiting.get(stream);
      if (callers) callers.push(done);
      else waiting.set(stream, [done]);
    });
    if (!fetching) void drain();
    return key;
  };

  const remember = (stream: string, key: Buffer) => {
    // A copy from Buffer's shared pool: a 32-byte key with an allocation of its own costs ~1 KB of memory.
    cache.set(stream, Buffer.from(key));
  };

  /** The cached keys of these streams, and the streams still to be looked up. */
  const fromCache = (streams: string[]) => {
    const out = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const s of new Set(streams)) {
      const hit = cached(s);
      if (hit) out.set(s, hit);
      else missing.push(s);
    }
    return { out, missing };
  };

  /**
   * Keys for many new streams in one statement. Existing keys are kept. `cache: false` for a bulk import: it
   * creates keys for people it will not touch again, and caching a million of them only grows the process.
   */
  const forStreams = async (streams: string[], { cache: keep = true } = {}): Promise<Map<string, Buffer>> => {
    const { out, missing } = fromCache(streams);
    const fresh = missing.map((s) => ({ s, key: randomBytes(32) }));
    if (fresh.length === 0) return out;
    const { rows } = await pool.query<{ stream: string; wrapped_key: string }>(
      `WITH ins AS (
         INSERT INTO recipient_keys (stream, wrapped_key) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (stream) DO NOTHING RETURNING stream)
       SELECT k.stream, k.wrapped_key FROM recipient_keys k WHERE k.stream = ANY($1::text[]) AND k.stream NOT IN (SELECT stream FROM ins)`,
      [fresh.map((f) => f.s), fresh.map((f) => seal(master, f.key, `key:${f.s}`))],
    );
    const existing = new Map(rows.map((r) => [r.stream, unwrap(r.stream, r.wrapped_key)]));
    for (const f of fresh) {
      const key = existing.get(f.s) ?? f.key;
      if (keep) remember(f.s, key);
      out.set(f.s, key);
    }
    return out;
  };

  /** Keys of many streams in one query (projections, rebuild); erased or unknown streams are absent. */
  const getMany = async (streams: string[]): Promise<Map<string, Buffer>> => {
    const { out, missing } = fromCache(streams);
    if (missing.length === 0) return out;
    const { rows } = await pool.query<{ stream: string; wrapped_key: string }>(
      'SELECT stream, wrapped_key FROM recipient_keys WHERE stream = ANY($1::text[])',
      [missing],
    );
    for (const r of rows) {
      const key = unwrap(r.stream, r.wrapped_key);
      remember(r.stream, key);
      out.set(r.stream, key);
    }
    return out;
  };

  const erase = async (stream: string) => {
    cache.delete(stream);
    // The server's role may not DELETE keys: the function deletes one only after the stream's erasure event.
    await pool.query('INSERT INTO erased_streams (stream) VALUES ($1) ON CONFLICT DO NOTHING', [stream]);
    await pool.query('SELECT vrs_erase_data_key($1)', [stream]);
  };

  return { get, getMany, forStreams, erase };
};
