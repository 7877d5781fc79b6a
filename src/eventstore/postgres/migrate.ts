import type pg from 'pg';
import { inTransaction } from '../transaction.js';
import { applyGrants, NO_SYNC_WAIT, type Grant } from './grants.js';

export type Migration = { id: number; name: string; sql: string };

/** Serialises concurrent starters on one advisory lock; each migration runs in its own transaction. */
const MIGRATION_LOCK = 7_041_911;

/**
 * Applies the scope's missing migrations on `pool`, which connects as the owner. With `access`, then grants the
 * scope's list to the server's role (under the same lock: concurrent GRANTs on one object collide).
 */
export const migrate = async (
  pool: pg.Pool,
  scope: string,
  migrations: Migration[],
  access?: { role: string | null; grants: Grant[] },
): Promise<number[]> => {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      scope text NOT NULL, id int NOT NULL, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, id))`);
    const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations WHERE scope = $1', [scope]);
    const done = new Set(rows.map((r) => r.id));
    for (const m of migrations.filter((m) => !done.has(m.id)).sort((a, b) => a.id - b.id)) {
      await inTransaction(client, async (tx) => {
        await tx.query(NO_SYNC_WAIT);
        await tx.query(m.sql);
        await tx.query('INSERT INTO schema_migrations (scope, id, name) VALUES ($1, $2, $3)', [scope, m.id, m.name]);
      });
      applied.push(m.id);
    }
    if (access?.role) {
      const role = access.role;
      await inTransaction(client, (tx) => applyGrants(tx, role, access.grants));
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
};

/** True when every listed migration of the scope is applied (for /readyz). */
export const migrationsApplied = async (pool: pg.Pool, scope: string, migrations: Migration[]): Promise<boolean> => {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM schema_migrations WHERE scope = $1 AND id = ANY($2::int[])`,
    [scope, migrations.map((m) => m.id)],
  );
  return rows[0].n === migrations.length;
};
