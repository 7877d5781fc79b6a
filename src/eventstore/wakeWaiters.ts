/** Tails waiting for news: each `wait` ends on `wakeAll`, after `ms`, or when its signal aborts. */
export const createWakeWaiters = () => {
  const waiters = new Set<() => void>();
  const wakeAll = () => [...waiters].forEach((w) => w());
  const wait = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  return { wait, wakeAll };
};
