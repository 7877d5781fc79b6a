import type pg from 'pg';
import { projectionLockKey } from '../../../../src/projections/runner/advisoryLock.js';

/**
 * The backend holding a projection's session advisory lock in this database, or null. A bigint key shows in
 * pg_locks split in two: classid the high 32 bits, objid the low 32 bits, objsubid 1.
 */
export const lockHolderPid = async (pool: pg.Pool, projection: string): Promise<number | null> => {
  const { rows } = await pool.query<{ pid: number }>(
    `WITH k AS (SELECT hashtextextended($1, 0) AS key)
     SELECT l.pid FROM pg_locks l, k
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid::text::bigint = (k.key >> 32) & 4294967295 AND l.objid::text::bigint = k.key & 4294967295`,
    [projectionLockKey(projection)],
  );
  return rows[0]?.pid ?? null;
};

/** Kills a backend from outside, as a crashed host or a DBA would: its session, open transaction and locks go. */
export const terminateBackend = async (pool: pg.Pool, pid: number) => {
  const { rows } = await pool.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
  return rows[0].ok;
};
