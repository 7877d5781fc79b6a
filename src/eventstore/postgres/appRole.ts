import { createHmac } from 'node:crypto';
import type pg from 'pg';
import { ident, NO_SYNC_WAIT } from './grants.js';

/** Roles are cluster-wide and each database has its own: one app role per database, named after it. */
export const appRoleName = (database: string) => `vrs_app_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);

/** Serialises role creation with other starters on the same database (CREATE ROLE races end in a unique violation). */
const ROLE_LOCK = 7_041_912;

/**
 * The server's own role, made (or reset) by the owner: it may log in and nothing else — no superuser, no role or
 * database creation, no replication, no bypassing row security, and it owns nothing. Its password is derived
 * from `secret` (the owner's password, or a secret kept in the keys folder) and the database name, so every
 * process given the same owner URL agrees on it without storing anything more. Returns null when the owner may
 * not create roles (the server then runs as the owner, with a warning; set VRS_APP_DATABASE_URL).
 */
export const ensureAppRole = async (owner: pg.Pool, ownerUrl: string, secret: string): Promise<{ role: string; url: string } | null> => {
  const client = await owner.connect();
  try {
    const { rows } = await client.query<{ db: string; may: boolean }>(
      'SELECT current_database() AS db, (rolsuper OR rolcreaterole) AS may FROM pg_roles WHERE rolname = current_user',
    );
    if (!rows[0]?.may) return null;
    const role = appRoleName(rows[0].db);
    const password = createHmac('sha256', secret).update(`vrs-app-role:${rows[0].db}`).digest('base64url');
    await client.query('SELECT pg_advisory_lock($1)', [ROLE_LOCK]);
    try {
      // Made again at every start: it need not wait for a synchronous standby (see NO_SYNC_WAIT).
      await client.query('BEGIN');
      await client.query(NO_SYNC_WAIT);
      const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`;
      await client.query(`${found.rowCount ? 'ALTER' : 'CREATE'} ROLE ${ident(role)} ${found.rowCount ? 'WITH ' : ''}${attributes}`);
      // An owner that does not own the database may not grant CONNECT: PUBLIC's default CONNECT then lets it in.
      await client.query('SAVEPOINT grant_connect');
      await client.query(`GRANT CONNECT ON DATABASE ${ident(rows[0].db)} TO ${ident(role)}`).catch(async (e: { code?: string }) => {
        if (e.code !== '42501') throw e;
        await client.query('ROLLBACK TO SAVEPOINT grant_connect');
      });
      await client.query(`GRANT USAGE ON SCHEMA public TO ${ident(role)}`);
      // PostgreSQL before 15 lets everyone create tables in public; the role may not, whatever the version.
      await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ROLE_LOCK]).catch(() => {});
    }
    const url = new URL(ownerUrl);
    url.username = encodeURIComponent(role);
    url.password = encodeURIComponent(password);
    return { role, url: url.toString() };
  } finally {
    client.release();
  }
};

/** The user name of a connection URL (for grants to a role given as VRS_APP_DATABASE_URL). */
export const urlUser = (url: string) => decodeURIComponent(new URL(url).username);
