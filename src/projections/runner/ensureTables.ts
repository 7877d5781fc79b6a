import type pg from 'pg';
import type { ProjectionDefinition } from '../projection.js';

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
