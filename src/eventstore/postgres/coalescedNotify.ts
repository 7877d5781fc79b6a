import type pg from 'pg';

/** Appends committing within this window share one NOTIFY (each costs a commit of its own). */
const WINDOW_MS = 3;

/**
 * Wakes subscribers in every process after appends commit: at most one NOTIFY in flight, sent a few
 * milliseconds after the first append that needs it, so a burst of appends shares it. (A NOTIFY inside each
 * append transaction would serialise commits on PostgreSQL's notification lock.)
 */
export const createCoalescedNotify = (pool: pg.Pool, onError: (e: Error) => void) => {
  let scheduled = false;
  let again = false;
  const send = async (): Promise<void> => {
    try {
      do {
        again = false;
        await pool.query(`SELECT pg_notify('vrs_events', '')`);
      } while (again);
    } catch (e) {
      onError(e as Error);
    } finally {
      scheduled = false;
    }
  };
  return () => {
    if (scheduled) again = true;
    else {
      scheduled = true;
      setTimeout(() => void send(), WINDOW_MS).unref();
    }
  };
};
