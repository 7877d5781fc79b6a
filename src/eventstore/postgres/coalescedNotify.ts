import type pg from 'pg';

/**
 * Wakes subscribers in every process after appends commit: one NOTIFY at a time, and any appends that commit
 * while it is in flight share the next one. (A NOTIFY inside each append transaction would serialise commits.)
 */
export const createCoalescedNotify = (pool: pg.Pool, onError: (e: Error) => void) => {
  let inFlight = false;
  let again = false;
  const send = async (): Promise<void> => {
    inFlight = true;
    try {
      do {
        again = false;
        await pool.query(`SELECT pg_notify('vrs_events', '')`);
      } while (again);
    } catch (e) {
      onError(e as Error);
    } finally {
      inFlight = false;
    }
  };
  return () => {
    if (inFlight) again = true;
    else void send();
  };
};
