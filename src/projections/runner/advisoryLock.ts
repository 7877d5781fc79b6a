import type pg from 'pg';

/**
 * Session-level advisory lock keyed by a name. Held by the connection: when the holding process dies, its
 * connection closes and PostgreSQL drops the lock, so another runner takes over.
 */
export const tryAdvisoryLock = async (client: pg.ClientBase, key: string): Promise<boolean> => {
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
  return rows[0].ok;
};

export const projectionLockKey = (name: string) => `vrs-projection:${name}`;
export const rebuildLockKey = (name: string) => `vrs-rebuild:${name}`;
