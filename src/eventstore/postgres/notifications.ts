import pg from 'pg';
import { createWakeWaiters } from '../wakeWaiters.js';

/**
 * One LISTEN connection per store: wakes every waiting tail when an append commits. Polling stays as the
 * fallback (a lost connection or a missed notification only delays delivery).
 */
export const createNotifications = (connectionString: string, onError: (e: Error) => void) => {
  const { wait: waitForWake, wakeAll, wakes } = createWakeWaiters();
  let client: pg.Client | null = null;
  let starting: Promise<void> | null = null;
  let closed = false;
  const start = () =>
    (starting ??= (async () => {
      const c = new pg.Client({ connectionString });
      c.on('notification', wakeAll);
      c.on('error', (e) => {
        onError(e);
        client = null;
        starting = null;
      });
      await c.connect();
      await c.query('LISTEN vrs_events');
      // Closed while connecting: don't leave a connection behind.
      if (closed) await c.end();
      else client = c;
    })().catch((e) => {
      starting = null;
      onError(e as Error);
    }));
  /** Listens from now on (a tail calls it before its first read, so no commit after that read goes unheard). */
  const listen = async () => {
    if (!closed) await start();
  };
  /**
   * Resolves on the next notification, after `ms`, or when the signal aborts; at once if one came since
   * `wakes()` returned `since`.
   */
  const wait = async (ms: number, signal?: AbortSignal, since?: number) => {
    if (closed) return;
    await start();
    await waitForWake(ms, signal, since);
  };
  const close = async () => {
    closed = true;
    wakeAll();
    await starting;
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
  return { listen, wait, wakes, close };
};
