import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { encodeCheckpoint, EVENT_COLUMNS, rowToEvent, type EventRow } from './rowToEvent.js';
import type { BulkEvent, BulkTextEvent, OpenWrite, RecordedEvent } from '../contract.js';

/**
 * The next committed events after a checkpoint, in (transaction id, position) order. Only transactions below
 * the oldest one still running are read: a position taken by a transaction that commits later cannot then
 * appear behind the checkpoint, so nothing is skipped (see test/integration/eventstore/gap.test.ts).
 */
export const readBatch = async (
  db: pg.Pool | pg.PoolClient,
  after: { transactionId: bigint; position: bigint },
  batch: number,
): Promise<RecordedEvent[]> => {
  const { rows } = await db.query<EventRow>({
    name: 'vrs-read-batch',
    text: `SELECT ${EVENT_COLUMNS} FROM events ${AFTER_CHECKPOINT}`,
    values: [after.transactionId.toString(), after.position.toString(), batch],
  });
  return rows.map(rowToEvent);
};

const AFTER_CHECKPOINT = `WHERE (transaction_id, position) > ($1::text::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, position
     LIMIT $3`;

/**
 * Resolves once readBatch's guard lets through every transaction that committed before the call, i.e. once every
 * transaction open at the call has ended (in any database of the cluster: the snapshot cannot tell them apart).
 */
export const waitSettled = async (db: pg.Pool, signal?: AbortSignal) => {
  const { rows: [now] } = await db.query<{ xmax: string; settled: boolean }>(
    'SELECT pg_snapshot_xmax(s)::text AS xmax, pg_snapshot_xmin(s) = pg_snapshot_xmax(s) AS settled FROM pg_current_snapshot() s',
  );
  for (let settled = now.settled, wait = 5; !settled; wait = Math.min(wait * 2, 200)) {
    await sleep(wait, undefined, { signal });
    const { rows } = await db.query<{ settled: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::text::xid8 AS settled', [now.xmax]);
    settled = rows[0].settled;
  }
};

/**
 * Sessions holding a transaction id (a write), oldest transaction first; not this one, which only reads. Without
 * pg_read_all_stats, another role's session shows its pid, database and application but no state or start time.
 */
export const openWrites = async (db: pg.Pool): Promise<OpenWrite[]> => {
  const { rows } = await db.query<OpenWrite>(
    `SELECT pid, backend_xid::text AS xid, datname AS database, application_name AS application, state,
       extract(epoch FROM clock_timestamp() - xact_start)::float8 AS seconds
     FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY age(backend_xid) DESC LIMIT 10`,
  );
  return rows;
};

type BulkRow<D> = { position: string; transaction_id: string; stream: string; version: string; type: string; data: D; recorded_ms: number };

const bulkBatch =
  <D>(name: string, data: string) =>
  async (db: pg.Pool | pg.PoolClient, after: { transactionId: bigint; position: bigint }, batch: number) => {
    const { rows } = await db.query<BulkRow<D>>({
      name,
      text: `SELECT position, transaction_id, stream, version, type, ${data} AS data, (extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms
      FROM events ${AFTER_CHECKPOINT}`,
      values: [after.transactionId.toString(), after.position.toString(), batch],
    });
    return rows.map((r) => ({
      stream: r.stream,
      version: BigInt(r.version),
      position: BigInt(r.position),
      checkpoint: encodeCheckpoint(r.transaction_id, r.position),
      type: r.type,
      data: r.data,
      recordedAt: new Date(r.recorded_ms),
    }));
  };

/**
 * readBatch's events, same guard and order, as BulkEvents: no metadata or hash, and the time as epoch
 * milliseconds (a float is far cheaper to parse than timestamp text; Date keeps milliseconds either way).
 */
export const readBulkBatch: (db: pg.Pool | pg.PoolClient, after: { transactionId: bigint; position: bigint }, batch: number) => Promise<BulkEvent[]> =
  bulkBatch<Record<string, unknown>>('vrs-read-bulk-batch', 'data');

/** readBulkBatch with the data as its JSON text, not parsed here (`jsonb` cast to text by the server). */
export const readBulkTextBatch: (db: pg.Pool | pg.PoolClient, after: { transactionId: bigint; position: bigint }, batch: number) => Promise<BulkTextEvent[]> =
  bulkBatch<string>('vrs-read-bulk-text-batch', 'data::text');
