import type pg from 'pg';
import type { Schema } from '../../eventstore/postgres/schema.js';
import { withTransaction } from '../../eventstore/transaction.js';
import { tableGrants, type ProjectionDefinition } from '../projection.js';

/**
 * Creates the projection's live tables and their indexes when missing (the DDL is IF NOT EXISTS). With
 * `missingOnly`, a table that exists is left alone: the runner connects as the server's role, which may not run
 * DDL at all (even IF NOT EXISTS checks the privilege); the owner made the tables at start.
 */
export const ensureTables = async (db: pg.ClientBase, projection: ProjectionDefinition, { missingOnly = false } = {}) => {
  for (const t of projection.tables) {
    if (missingOnly) {
      const { rows } = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [t.name]);
      if (rows[0].found) continue;
    }
    await db.query(t.create(t.name));
    for (const index of t.indexes?.(t.name) ?? []) await db.query(index);
  }
};

/**
 * The projections' live tables, made by the owner and granted to the server's role in one transaction, under the
 * migration lock: two processes starting at once would otherwise collide on concurrent GRANTs ("tuple concurrently
 * updated"), and a reader must never meet a table it cannot read.
 */
export const makeProjectionTables = async (schema: Schema, projections: ProjectionDefinition[]) => {
  await withTransaction(schema.owner, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7041911)');
    for (const p of projections) await ensureTables(tx, p);
    await schema.grant(tx, projections.flatMap((p) => tableGrants(p.tables)));
  });
};
