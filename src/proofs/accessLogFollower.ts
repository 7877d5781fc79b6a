import type pg from 'pg';
import { canonicalJson } from '../eventstore/hashChain.js';
import { appendToLog } from './logStore.js';
import type { LogTables } from './logTables.js';

/** An access-log row as a leaf: who read which record through which endpoint, when. Canonical JSON. */
type AccessEntry = { id: bigint; at: Date; actor: unknown; record: string; endpoint: string };

const accessLeafText = (e: AccessEntry): string =>
  canonicalJson({ actor: e.actor, at: e.at.toISOString(), endpoint: e.endpoint, id: e.id.toString(), record: e.record });

const accessLeafData = (e: AccessEntry): Buffer => Buffer.from(accessLeafText(e), 'utf8');

const LOCK = 'vrs-proofs:access-log';

/**
 * Moves the access log's tree forward by up to `batch` rows, in one transaction under a transaction-level
 * advisory lock (one follower at a time across processes). Rows are taken in (inserting transaction, id) order and
 * only below the oldest running transaction, so a row whose transaction commits late is never skipped; the cursor
 * is the last logged row itself. Returns how many rows were logged.
 */
export const followAccessLog = async (pool: pg.Pool, t: LogTables, batch = 5000): Promise<number> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok', [LOCK]);
    if (!lock[0].ok) {
      await client.query('ROLLBACK');
      return 0;
    }
    const { rows: last } = await client.query<{ tx: string; id: string }>(
      `SELECT a.tx::text AS tx, a.id::text AS id FROM ${t.leaves} l JOIN access_log a ON a.id = l.position ORDER BY l.idx DESC LIMIT 1`,
    );
    const { rows } = await client.query<{ id: string; at: Date; actor: unknown; record: string; endpoint: string }>(
      `SELECT id::text AS id, at, actor, record, endpoint FROM access_log
       WHERE ($1::xid8 IS NULL OR (tx, id) > ($1::xid8, $2::bigint)) AND tx < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY tx, id LIMIT $3`,
      [last[0]?.tx ?? null, last[0]?.id ?? null, batch],
    );
    await appendToLog(
      client,
      t,
      rows.map((r) => ({ position: BigInt(r.id), data: accessLeafData({ ...r, id: BigInt(r.id) }) })),
    );
    await client.query('COMMIT');
    return rows.length;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
};
