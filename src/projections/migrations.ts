import type { Migration } from '../eventstore/postgres/migrate.js';

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
];
