/**
 * Tails waiting for news: each `wait` ends on `wakeAll`, after `ms`, or when its signal aborts. A tail notes
 * `wakes()` before it reads and passes it to `wait`: a wake that came during its read ends the wait at once
 * (the read may have missed what that wake announced), instead of leaving it to the next wake or the poll.
 */
export const createWakeWaiters = () => {
  const waiters = new Set<() => void>();
  let count = 0;
  const wakeAll = () => {
    count++;
    [...waiters].forEach((w) => w());
  };
  const wakes = () => count;
  const wait = (ms: number, signal?: AbortSignal, since?: number) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || (since !== undefined && since !== count)) return resolve();
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
  return { wait, wakeAll, wakes };
};
