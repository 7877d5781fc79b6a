import type pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import type { AccountRole } from './accountSchemas.js';

/** Idle expiry (the issue: 30 minutes) and absolute expiry of a console session. */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_MAX_SECONDS = 12 * 3600;
/** last_seen_at is written at most once a minute per session: reads do not each cost a write. */
const TOUCH_AFTER_SECONDS = 60;

export type Session = {
  username: string;
  role: AccountRole;
  municipality: string | null;
  site: string | null;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const createSession = async (pool: pg.Pool, username: string) => {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const { rows } = await pool.query<{ expires_at: Date; last_seen_at: Date }>(
    `INSERT INTO console_sessions (token_hash, username, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at, last_seen_at`,
    [hashToken(token), username, csrfToken, SESSION_MAX_SECONDS],
  );
  return { token, csrfToken, expiresAt: rows[0].expires_at, idleExpiresAt: new Date(rows[0].last_seen_at.getTime() + SESSION_IDLE_SECONDS * 1000) };
};

/**
 * The live session behind a cookie token, or undefined: unknown, idle too long, past its absolute expiry, or its
 * user disabled. A live one is touched (idle clock restarted).
 */
export const findSession = async (pool: pg.Pool, token: string): Promise<Session | undefined> => {
  const { rows } = await pool.query<{
    username: string; role: AccountRole; municipality: string | null; site: string | null; csrf_token: string;
    expires_at: Date; last_seen_at: Date; stale: boolean;
  }>(
    `SELECT s.username, u.role, u.municipality, u.site, s.csrf_token, s.expires_at, s.last_seen_at,
            s.last_seen_at < now() - make_interval(secs => $3) AS stale
       FROM console_sessions s JOIN console_users u USING (username)
      WHERE s.token_hash = $1 AND u.disabled_at IS NULL AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(secs => $2)`,
    [hashToken(token), SESSION_IDLE_SECONDS, TOUCH_AFTER_SECONDS],
  );
  const r = rows[0];
  if (!r) return undefined;
  let lastSeen = r.last_seen_at;
  if (r.stale) {
    const touched = await pool.query<{ last_seen_at: Date }>('UPDATE console_sessions SET last_seen_at = now() WHERE token_hash = $1 RETURNING last_seen_at', [hashToken(token)]);
    lastSeen = touched.rows[0]?.last_seen_at ?? lastSeen;
  }
  const idle = new Date(Math.min(lastSeen.getTime() + SESSION_IDLE_SECONDS * 1000, r.expires_at.getTime()));
  return { username: r.username, role: r.role, municipality: r.municipality, site: r.site, csrfToken: r.csrf_token, expiresAt: r.expires_at.toISOString(), idleExpiresAt: idle.toISOString() };
};

/** Ends one session; answers the username it belonged to (for the sign-out record), if any. */
export const deleteSession = async (pool: pg.Pool, token: string) => {
  const { rows } = await pool.query<{ username: string }>('DELETE FROM console_sessions WHERE token_hash = $1 RETURNING username', [hashToken(token)]);
  return rows[0]?.username;
};

/** Sessions past either expiry are useless; removed at sign-in so the table stays small. */
export const deleteExpiredSessions = (pool: pg.Pool) =>
  pool.query(`DELETE FROM console_sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)`, [SESSION_IDLE_SECONDS]);
