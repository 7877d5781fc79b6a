import type pg from 'pg';
import { ScanError } from './errors.js';

const LEASE_SECONDS = 60;

/**
 * One resolve at a time per scan: two people typing different lines must not record two doses. A lease row rather
 * than a held lock, so no connection waits through the ledger write; a crashed holder's lease simply runs out. The
 * holder gives back only its own lease (one that ran out may already be someone else's); compared as text, to the microsecond.
 */
export const withResolveLease = async <T>(db: pg.Pool, scanId: string, work: () => Promise<T>): Promise<T> => {
  const { rows } = await db.query<{ lease: string }>(
    `INSERT INTO scan_leases AS l (scan_id, lease_until) VALUES ($1, now() + make_interval(secs => $2))
     ON CONFLICT (scan_id) DO UPDATE SET lease_until = EXCLUDED.lease_until WHERE l.lease_until < now()
     RETURNING lease_until::text AS lease`,
    [scanId, LEASE_SECONDS],
  );
  if (rows.length !== 1) throw new ScanError('SCAN_BUSY', 'this scan is being resolved by someone else; try again shortly');
  try {
    return await work();
  } finally {
    await db.query('DELETE FROM scan_leases WHERE scan_id = $1 AND lease_until = $2::timestamptz', [scanId, rows[0].lease]);
  }
};
