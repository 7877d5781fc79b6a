import type pg from 'pg';
import { withTransaction } from '../eventstore/transaction.js';
import { AccountError } from './errors.js';
import { hashPassword } from './passwords.js';
import { recordSignIn } from './signInLog.js';
import type { AccountRole } from './accountSchemas.js';

export type User = {
  username: string;
  role: AccountRole;
  municipality: string | null;
  site: string | null;
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
};

type Row = { username: string; role: AccountRole; municipality: string | null; site: string | null; created_at: Date; created_by: string; disabled_at: Date | null };
const toUser = (r: Row): User => ({
  username: r.username,
  role: r.role,
  municipality: r.municipality,
  site: r.site,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  disabledAt: r.disabled_at?.toISOString() ?? null,
});

export type NewUser = { username: string; role: AccountRole; municipality?: string; site?: string; password: string };

export const addUser = async (pool: pg.Pool, u: NewUser, by: string): Promise<User> => {
  const hash = await hashPassword(u.password);
  const { rows } = await pool.query<Row>(
    `INSERT INTO console_users (username, password_hash, role, municipality, site, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING
     RETURNING username, role, municipality, site, created_at, created_by, disabled_at`,
    [u.username, hash, u.role, u.municipality ?? null, u.site ?? null, by],
  );
  if (rows.length === 0) throw new AccountError('USER_EXISTS', `username: a user named ${u.username} already exists`);
  return toUser(rows[0]);
};

/** Disables the user and ends every session of theirs at once (a cookie already out is refused from now on). */
export const disableUser = async (pool: pg.Pool, username: string, by: string): Promise<User> => {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<Row>(
      `UPDATE console_users SET disabled_at = coalesce(disabled_at, now()), disabled_by = coalesce(disabled_by, $2)
       WHERE username = $1 RETURNING username, role, municipality, site, created_at, created_by, disabled_at`,
      [username, by],
    );
    if (rows.length === 0) throw new AccountError('USER_NOT_FOUND', `username: no user is named ${username}`);
    await tx.query('DELETE FROM console_sessions WHERE username = $1', [username]);
    return toUser(rows[0]);
  });
};

export const listUsers = async (pool: pg.Pool): Promise<User[]> => {
  const { rows } = await pool.query<Row>('SELECT username, role, municipality, site, created_at, created_by, disabled_at FROM console_users ORDER BY username');
  return rows.map(toUser);
};

export const findCredentials = async (pool: pg.Pool, username: string) => {
  const { rows } = await pool.query<Row & { password_hash: string }>(
    'SELECT username, role, municipality, site, created_at, created_by, disabled_at, password_hash FROM console_users WHERE username = $1',
    [username],
  );
  return rows[0] ? { user: toUser(rows[0]), hash: rows[0].password_hash } : undefined;
};

/**
 * An admin lifts a lockout before its 15 minutes are up (a clerk who mistyped, on the phone): the sign-in log gets an
 * `unlocked` entry, after which earlier failures no longer count. Who did it goes in the entry's address column.
 */
export const unlockUser = async (pool: pg.Pool, username: string, by: string): Promise<User> => {
  const { rows } = await pool.query<Row>('SELECT username, role, municipality, site, created_at, created_by, disabled_at FROM console_users WHERE username = $1', [username]);
  if (rows.length === 0) throw new AccountError('USER_NOT_FOUND', `username: no user is named ${username}`);
  await recordSignIn(pool, username, 'unlocked', `by:${by}`);
  return toUser(rows[0]);
};
