import type pg from 'pg';
import { EVENT_COLUMNS, rowToEvent, type EventRow } from './rowToEvent.js';
import type { RecordedEvent } from '../contract.js';

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
    text: `SELECT ${EVENT_COLUMNS} FROM events
     WHERE (transaction_id, position) > ($1::text::xid8, $2::bigint)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, position
     LIMIT $3`,
    values: [after.transactionId.toString(), after.position.toString(), batch],
  });
  return rows.map(rowToEvent);
};
