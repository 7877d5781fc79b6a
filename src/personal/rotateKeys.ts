import type pg from 'pg';
import { withTransaction } from '../eventstore/transaction.js';
import { unwrapDataKey, wrapDataKey } from './dataKeys.js';
import { createKek, destroyKek, kekFileName, readKek } from './kekFiles.js';
import type { KekRing } from './kekRing.js';

export type RotationResult = { epoch: number; rewrapped: number; destroyed: number[]; resumed: boolean } | { busy: true };

/** One rotation at a time, across processes (the server's timer and `vrs keys rotate`). */
const LOCK = 'vrs key rotation';

/**
 * Moves every live data key to a new key epoch and destroys the old epochs' KEKs:
 * 1. the new KEK file is written and synced, then the epoch recorded (from then on new keys are wrapped under it:
 *    the lock waits for inserts in flight, and the trigger refuses older epochs after it);
 * 2. keys still under older epochs are re-wrapped in batches, each batch its own transaction;
 * 3. only when none is left, every older KEK file is destroyed and the epoch recorded as completed.
 * Killed anywhere, a rerun finds the unfinished epoch (older epochs not yet destroyed) and carries on with it.
 */
export const rotateKeys = async (
  pool: pg.Pool,
  keysDir: string,
  ring: KekRing,
  options: { batch?: number; progress?: (line: string) => void; masterFromEnv?: boolean } = {},
): Promise<RotationResult> => {
  const batch = options.batch ?? 1000;
  const progress = options.progress ?? (() => {});
  const lock = await pool.connect();
  try {
    const { rows: got } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [LOCK]);
    if (!got[0].ok) return { busy: true };
    try {
      const { rows: epochs } = await pool.query<{ epoch: number; destroyed: boolean }>(
        'SELECT epoch, destroyed_at IS NOT NULL AS destroyed FROM key_epochs ORDER BY epoch',
      );
      const newest = epochs.length > 0 ? epochs[epochs.length - 1].epoch : 0;
      const unfinished = epochs.some((e) => e.epoch < newest && !e.destroyed);
      let target = newest;
      if (!unfinished) {
        target = newest + 1;
        // A file of this number without its epoch row was left by a rotation killed in between: it wraps nothing.
        await createKek(keysDir, target, { replace: true });
        await withTransaction(pool, async (tx) => {
          await tx.query('LOCK TABLE recipient_keys IN SHARE ROW EXCLUSIVE MODE');
          await tx.query('INSERT INTO key_epochs (epoch) VALUES ($1)', [target]);
        });
        progress(`key epoch ${target} created`);
      } else progress(`resuming the rotation to key epoch ${target}`);
      ring.refresh();
      const kek = await ring.key(target);
      if (!kek) throw new Error(`the key file ${kekFileName(target)} of key epoch ${target} is missing`);

      const { rows: left } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM recipient_keys WHERE epoch < $1', [target]);
      const total = Number(left[0].n);
      let rewrapped = 0;
      for (;;) {
        const n = await withTransaction(pool, async (tx) => {
          const { rows } = await tx.query<{ stream: string; wrapped_key: string; epoch: number }>(
            'SELECT stream, wrapped_key, epoch FROM recipient_keys WHERE epoch < $1 LIMIT $2 FOR UPDATE SKIP LOCKED',
            [target, batch],
          );
          if (rows.length > 0) {
            const streams: string[] = [];
            const wrapped: string[] = [];
            for (const r of rows) {
              const old = await ring.key(r.epoch);
              if (!old) throw new Error(`a data key is wrapped under key epoch ${r.epoch}, whose key file is gone: it cannot be re-wrapped`);
              streams.push(r.stream);
              wrapped.push(wrapDataKey(kek, r.stream, unwrapDataKey(old, r.stream, r.wrapped_key)));
            }
            await tx.query(
              `UPDATE recipient_keys k SET wrapped_key = x.w, epoch = $3 FROM unnest($1::text[], $2::text[]) AS x(s, w) WHERE k.stream = x.s`,
              [streams, wrapped, target],
            );
          }
          return rows.length;
        });
        rewrapped += n;
        if (n > 0) progress(`re-wrapped ${rewrapped}/${total} data keys under key epoch ${target}`);
        if (n === 0) {
          // Rows skipped as locked (an erasure deleting its key) are seen by the next pass; none left: done.
          const { rows: rest } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM recipient_keys WHERE epoch < $1', [target]);
          if (Number(rest[0].n) === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }

      const destroyed: number[] = [];
      const { rows: old } = await pool.query<{ epoch: number }>('SELECT epoch FROM key_epochs WHERE epoch < $1 AND destroyed_at IS NULL ORDER BY epoch', [target]);
      for (const { epoch } of old) {
        await destroyKek(keysDir, epoch);
        if (epoch === 0 && options.masterFromEnv)
          progress('key epoch 0 came from VRS_MASTER_KEY: remove it from the environment and wherever it is stored; it wraps nothing any more');
        await pool.query('UPDATE key_epochs SET destroyed_at = now() WHERE epoch = $1', [epoch]);
        destroyed.push(epoch);
        progress(`key epoch ${epoch} destroyed`);
      }
      await pool.query('UPDATE key_epochs SET completed_at = coalesce(completed_at, now()) WHERE epoch = $1', [target]);
      // Still readable in this process? A KEK file left by hand would defeat the point: say so.
      for (const { epoch } of old) if (await readKek(keysDir, epoch)) throw new Error(`key file ${kekFileName(epoch)} still exists after destruction`);
      return { epoch: target, rewrapped, destroyed, resumed: unfinished };
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]).catch(() => {});
    }
  } finally {
    lock.release();
  }
};

/**
 * When the server must rotate: the oldest erasure no completed epoch was created after (its wrapped key may
 * still be in WAL, archives and backups under a KEK that exists), or an unfinished rotation. `dueAt` is half
 * the window after that erasure, so the rotation is done well within VRS_ERASURE_FINAL_HOURS.
 */
export const rotationDue = async (pool: pg.Pool, finalHours: number): Promise<{ due: boolean; oldestUncovered: Date | null; unfinished: boolean }> => {
  const { rows } = await pool.query<{ oldest: Date | null; due: boolean; unfinished: boolean }>(
    `WITH covered AS (SELECT coalesce(max(created_at), '-infinity') AS at FROM key_epochs WHERE completed_at IS NOT NULL),
          oldest AS (SELECT min(e.erased_at) AS at FROM erased_streams e, covered WHERE e.erased_at >= covered.at)
     SELECT oldest.at AS oldest,
            coalesce(oldest.at + make_interval(secs => $1::float8 * 1800) <= now(), false) AS due,
            EXISTS (SELECT 1 FROM key_epochs WHERE completed_at IS NULL) AS unfinished
     FROM oldest`,
    [finalHours],
  );
  const r = rows[0];
  return { due: r.due || r.unfinished, oldestUncovered: r.oldest, unfinished: r.unfinished };
};
