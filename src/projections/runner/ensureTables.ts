import type pg from 'pg';
import type { ProjectionDefinition } from '../projection.js';

/** Creates the projection's live tables and their indexes when missing (the DDL is IF NOT EXISTS). */
export const ensureTables = async (db: pg.ClientBase, projection: ProjectionDefinition) => {
  for (const t of projection.tables) {
    await db.query(t.create(t.name));
    for (const index of t.indexes?.(t.name) ?? []) await db.query(index);
  }
};
