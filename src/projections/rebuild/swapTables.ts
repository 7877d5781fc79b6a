import type pg from 'pg';
import type { ProjectionTable } from '../projection.js';

export const shadowName = (table: string) => `${table}__rebuild`;

/** Identifiers come from projection definitions, never from input; quoted all the same. */
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Inside the caller's transaction: the old table goes, the shadow takes its name, and its indexes (and primary
 * key) take the names the live table's had, so the next rebuild can build its shadow under the same names.
 */
export const swapTables = async (tx: pg.ClientBase, tables: ProjectionTable[]) => {
  for (const t of tables) {
    const shadow = shadowName(t.name);
    await tx.query(`DROP TABLE IF EXISTS ${ident(t.name)}`);
    await tx.query(`ALTER TABLE ${ident(shadow)} RENAME TO ${ident(t.name)}`);
    const { rows } = await tx.query<{ indexname: string }>(
      'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
      [t.name],
    );
    for (const { indexname } of rows) {
      if (indexname.startsWith(shadow)) await tx.query(`ALTER INDEX ${ident(indexname)} RENAME TO ${ident(t.name + indexname.slice(shadow.length))}`);
    }
  }
};

/** A fresh, empty shadow of every table (indexes come after the bulk load). */
export const createShadows = async (db: pg.ClientBase, tables: ProjectionTable[]) => {
  for (const t of tables) {
    await db.query(`DROP TABLE IF EXISTS ${ident(shadowName(t.name))}`);
    await db.query(t.create(shadowName(t.name)));
  }
};

export const indexShadows = async (db: pg.ClientBase, tables: ProjectionTable[]) => {
  for (const t of tables) for (const sql of t.indexes?.(shadowName(t.name)) ?? []) await db.query(sql);
};

export const dropShadows = async (db: pg.ClientBase, tables: ProjectionTable[]) => {
  for (const t of tables) await db.query(`DROP TABLE IF EXISTS ${ident(shadowName(t.name))}`);
};
