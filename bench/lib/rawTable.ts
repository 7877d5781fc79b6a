import type pg from 'pg';
import type { NewEvent } from '../../src/eventstore/contract.js';

/**
 * The baseline: a plain table with the same columns and indexes as our `events` table (identity key,
 * transaction id, unique (stream, version), the subscription index) but no trigger, no function, no heads.
 */
export const createRawTable = async (db: pg.Pool, name = 'raw_events') => {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`bad table name ${name}`);
  await db.query(`CREATE TABLE ${name} (
    position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream          text NOT NULL,
    version         bigint NOT NULL,
    type            text NOT NULL,
    data            jsonb NOT NULL,
    metadata        jsonb NOT NULL,
    recorded_at     timestamptz NOT NULL,
    hash            bytea NOT NULL,
    UNIQUE (stream, version))`);
  await db.query(`CREATE INDEX ${name}_tx_position ON ${name} (transaction_id, position)`);
  return {
    /** One autocommit INSERT: one round trip, one commit. */
    insert: (stream: string, version: number, e: NewEvent, hash: Buffer) =>
      db.query(
        `INSERT INTO ${name} (stream, version, type, data, metadata, recorded_at, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [stream, version, e.type, JSON.stringify(e.data), JSON.stringify({ ...e.metadata, recordedAt: new Date().toISOString() }), new Date(), hash],
      ),
  };
};
