import type { Grant } from '../eventstore/postgres/grants.js';
import type { Migration } from '../eventstore/postgres/migrate.js';
import { logTables } from './logTables.js';

/** The access log's tree: not a projection of events, so its tables are made here (by the owner). */
export const ACCESS_LOG_TREE = 'access_log_tree';
const accessTree = logTables(ACCESS_LOG_TREE);

/**
 * Scope 'proofs'. Signed checkpoints of each log, one per size (a log never signs two roots for one size).
 * The logs' trees are projection tables (logTables.ts), created and rebuilt by the runner; checkpoints are not
 * rebuilt: they are what a rebuilt tree is checked against.
 * `access_log.tx`: the inserting transaction, so the access-log follower reads rows in commit order and never
 * skips one that commits late (as the event store's tail does).
 */
export const proofsMigrations: Migration[] = [
  {
    id: 1,
    name: 'log_checkpoints',
    sql: `
      CREATE TABLE log_checkpoints (
        log        text NOT NULL,
        size       bigint NOT NULL,
        root       bytea NOT NULL,
        note       text NOT NULL,
        signed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (log, size)
      );`,
  },
  {
    id: 2,
    name: 'access_log commit order',
    sql: `
      ALTER TABLE access_log ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX access_log_tx ON access_log (tx, id);`,
  },
  {
    id: 3,
    name: 'access_log_tree',
    sql: accessTree.flatMap((t) => [t.create(t.name), ...(t.indexes?.(t.name) ?? [])]).join(';\n'),
  },
];

/**
 * The server's role: signs checkpoints (INSERT, never UPDATE or DELETE: a signed checkpoint is kept as signed)
 * and appends to the access log's tree. The ledger log's tables are projection tables, granted as those are.
 */
export const proofsGrants: Grant[] = [
  { table: 'log_checkpoints', privileges: ['SELECT', 'INSERT'] },
  ...accessTree.map((t) => ({ table: t.name, privileges: t.privileges ?? ['SELECT'] })),
];
