import pg from 'pg';

/**
 * One LISTEN connection per store: wakes every waiting tail when an append commits. Polling stays as the
 * fallback (a lost connection or a missed notification only delays delivery).
 */
export const createNotifications = (connectionString: string, onError: (e: Error) => void) => {
  const waiters = new Set<() => void>();
  let client: pg.Client | null = null;
  let starting: Promise<void> | null = null;
  const wakeAll = () => {
    for (const w of [...waiters]) w();
  };
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
      client = c;
    })().catch((e) => {
      starting = null;
      onError(e as Error);
    }));
  /** Resolves on the next notification, after `ms`, or when the signal aborts. */
  const wait = async (ms: number, signal?: AbortSignal) => {
    await start();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  };
  const close = async () => {
    wakeAll();
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
  return { wait, close };
};
