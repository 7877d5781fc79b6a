import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { MAP_ENTRY_BYTES, stringBytes, twoGenerationCache } from '../cache/twoGenerationCache.js';
import { open, seal } from './aesGcm.js';
import { fixedKekRing, type KekRing } from './kekRing.js';

export type DataKeys = ReturnType<typeof createDataKeys>;

/** The default bound (VRS_CACHE_DATA_KEYS_BYTES): about 100,000 recipients' keys. */
export const DEFAULT_DATA_KEY_CACHE_BYTES = 16 * 1024 * 1024;

/** A cached key is a 32-character one-byte string: 48 bytes of heap. */
const KEY_BYTES = 48;

type KeyRow = { stream: string; wrapped_key: string; epoch: number };

/** The database refused a key wrapped under an epoch that a rotation has replaced (trigger in migration 3). */
const STALE_EPOCH = 'VRS12';

/** The wrapping of a data key: AES-256-GCM under the KEK of its epoch, bound to the stream. */
export const wrapDataKey = (kek: Buffer, stream: string, key: Buffer) => seal(kek, key, `key:${stream}`);
export const unwrapDataKey = (kek: Buffer, stream: string, wrapped: string) => open(kek, wrapped, `key:${stream}`);

/**
 * One AES-256 data key per recipient stream, wrapped under a key-encryption key of an epoch and kept in
 * PostgreSQL (`recipient_keys`). `forStreams` creates them on first use; `erase` deletes one, after which the
 * stream's personal fields are unreadable (and, once the epoch rotates, every older copy of its wrapped key too).
 * `kek`: a ring of epochs, or one key as epoch 0.
 */
export const createDataKeys = (pool: pg.Pool, kek: Buffer | KekRing, cacheBytes = DEFAULT_DATA_KEY_CACHE_BYTES) => {
  const ring = Buffer.isBuffer(kek) ? fixedKekRing(kek) : kek;
  // Keeps the keys in use. Emptying the whole cache when full, as before, made every recipient miss at once
  // past 50,000 of them. Kept as latin1 strings, not Buffers: a small Buffer is a slice of a shared 8 KB pool
  // slab, and one long-lived key kept its whole slab alive (a soak measured 5.6 KB of memory per cached key,
  // ~560 MB at 100,000 keys, none of it in V8's heap figures); a Buffer of its own costs ~300 bytes more than this.
  const cache = twoGenerationCache<string, string>({ maxBytes: cacheBytes, bytesOf: (stream) => MAP_ENTRY_BYTES + stringBytes(stream) + KEY_BYTES });
  const cached = (stream: string) => {
    const hit = cache.get(stream);
    return hit === undefined ? undefined : Buffer.from(hit, 'latin1');
  };

  const select = async (streams: string[]) =>
    (
      await pool.query<KeyRow>({
        name: 'vrs_data_keys',
        text: 'SELECT stream, wrapped_key, epoch FROM recipient_keys WHERE stream = ANY($1::text[])',
        values: [streams],
      })
    ).rows;

  /**
   * Rows unwrapped. A row read just before a rotation re-wrapped it may name an epoch destroyed since: read again
   * (once) and it names the new one. Still unreadable: an error, never a silent "erased".
   */
  const unwrapRows = async (rows: KeyRow[], again = true): Promise<Map<string, Buffer>> => {
    const out = new Map<string, Buffer>();
    const stale: string[] = [];
    for (const r of rows) {
      const k = await ring.key(r.epoch);
      if (k) out.set(r.stream, unwrapDataKey(k, r.stream, r.wrapped_key));
      else stale.push(r.stream);
    }
    if (stale.length > 0) {
      if (!again) throw new Error(`data keys wrapped under a destroyed key epoch (${stale.length} streams)`);
      for (const [s, k] of await unwrapRows(await select(stale), false)) out.set(s, k);
    }
    return out;
  };

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
        const found = await unwrapRows(await select([...batch.keys()]));
        for (const [stream, callers] of batch) {
          const key = found.get(stream) ?? null;
          if (key) remember(stream, key);
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
    cache.set(stream, key.toString('latin1'));
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

  const insert = async (fresh: { s: string; key: Buffer }[]) => {
    const { epoch, key: kekNow } = await ring.current();
    const { rows } = await pool.query<KeyRow>(
      `WITH ins AS (
         INSERT INTO recipient_keys (stream, wrapped_key, epoch) SELECT s, w, $3 FROM unnest($1::text[], $2::text[]) AS x(s, w)
         ON CONFLICT (stream) DO NOTHING RETURNING stream)
       SELECT k.stream, k.wrapped_key, k.epoch FROM recipient_keys k WHERE k.stream = ANY($1::text[]) AND k.stream NOT IN (SELECT stream FROM ins)`,
      [fresh.map((f) => f.s), fresh.map((f) => wrapDataKey(kekNow, f.s, f.key)), epoch],
    );
    return rows;
  };

  /**
   * Keys for many new streams in one statement. Existing keys are kept. `cache: false` for a bulk import: it
   * creates keys for people it will not touch again, and caching a million of them only grows the process.
   */
  const forStreams = async (streams: string[], { cache: keep = true } = {}): Promise<Map<string, Buffer>> => {
    const { out, missing } = fromCache(streams);
    // One call to the CSPRNG for all of them (an import batch asks for a thousand): each call costs ~8 µs here.
    const random = missing.length > 0 ? randomBytes(32 * missing.length) : Buffer.alloc(0);
    const fresh = missing.map((s, i) => ({ s, key: random.subarray(32 * i, 32 * i + 32) }));
    if (fresh.length === 0) return out;
    let rows: KeyRow[];
    try {
      rows = await insert(fresh);
    } catch (e) {
      // A rotation began since this process last looked: wrap under the new epoch.
      if ((e as { code?: string }).code !== STALE_EPOCH) throw e;
      ring.refresh();
      rows = await insert(fresh);
    }
    const existing = await unwrapRows(rows);
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
    for (const [s, key] of await unwrapRows(await select(missing))) {
      remember(s, key);
      out.set(s, key);
    }
    return out;
  };

  const erase = async (stream: string) => {
    cache.delete(stream);
    // The server's role may not DELETE keys: the function deletes one only after the stream's erasure event.
    await pool.query('INSERT INTO erased_streams (stream) VALUES ($1) ON CONFLICT DO NOTHING', [stream]);
    await pool.query('SELECT vrs_erase_data_key($1)', [stream]);
  };

  return { get, getMany, forStreams, erase, /** What the cache holds (tests, diagnostics). */ cached: () => ({ entries: cache.size, bytes: cache.bytes }) };
};
