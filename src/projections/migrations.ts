import type { Migration } from '../eventstore/postgres/migrate.js';
import type { Grant } from '../eventstore/postgres/grants.js';
import { RECIPIENT_STATUS_FILLFACTOR } from './recipientStatus/recipientStatusTable.js';
import { STATISTICS_FILLFACTOR } from './statistics/statisticsTable.js';

/**
 * One checkpoint row per projection. `checkpoint` is the store's opaque resume token (for PostgreSQL
 * `<txid>:<position>`, never the position alone: see NOTES on late commits). A failed projection keeps its
 * checkpoint before the failing event and records that event's position and the error.
 */
export const projectionMigrations: Migration[] = [
  {
    id: 1,
    name: 'projection_checkpoints',
    sql: `
      CREATE TABLE projection_checkpoints (
        name            text PRIMARY KEY,
        checkpoint      text,
        position        bigint NOT NULL DEFAULT 0,
        recorded_at     timestamptz,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        error           text,
        error_position  bigint,
        error_at        timestamptz
      );`,
  },
  {
    id: 2,
    name: 'read models keep room for in-place updates',
    // Tables created before this release (new ones are created with it). Pages written from now on keep the room.
    sql: `
      ALTER TABLE IF EXISTS recipient_status SET (fillfactor = ${RECIPIENT_STATUS_FILLFACTOR});
      ALTER TABLE IF EXISTS statistics_counts SET (fillfactor = ${STATISTICS_FILLFACTOR});`,
  },
  {
    id: 3,
    name: 'recipient_status keeps personal fields sealed: the old table (names in clear) is dropped and rebuilt',
    // The new shape cannot be derived in SQL (sealing needs the data keys): the runner recreates the table and
    // replays the log into it from the start; search answers from the new table as it fills.
    sql: `
      DROP TABLE IF EXISTS recipient_status__rebuild;
      DROP TABLE IF EXISTS recipient_status;
      DELETE FROM projection_checkpoints WHERE name = 'recipient_status';`,
  },
];

/** The runner moves checkpoints (and records a failure on them); the read models' own tables grant in their definitions. */
export const projectionGrants: Grant[] = [{ table: 'projection_checkpoints', privileges: ['SELECT', 'INSERT', 'UPDATE'] }];
