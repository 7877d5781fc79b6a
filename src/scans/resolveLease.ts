import type pg from 'pg';
import { ScanError } from './errors.js';

const LEASE_SECONDS = 60;

/**
 * One resolve at a time per scan: two people typing different lines must not record two doses. A lease on the
 * scan's row rather than a held lock, so no connection waits through the ledger write; a crashed holder's
 * lease simply runs out.
 */
export const withResolveLease = async <T>(db: pg.Pool, scanId: string, work: () => Promise<T>): Promise<T> => {
  const { rowCount } = await db.query(
    `UPDATE scan_status SET lease_until = now() + make_interval(secs => $2)
      WHERE scan_id = $1 AND (lease_until IS NULL OR lease_until < now())`,
    [scanId, LEASE_SECONDS],
  );
  if (rowCount !== 1) throw new ScanError('SCAN_BUSY', 'this scan is being resolved by someone else; try again shortly');
  try {
    return await work();
  } finally {
    await db.query('UPDATE scan_status SET lease_until = NULL WHERE scan_id = $1', [scanId]);
  }
};
