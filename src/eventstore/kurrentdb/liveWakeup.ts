import { createWakeWaiters } from '../wakeWaiters.js';
import { END, excludeSystemEvents, type AllStreamSubscription, type KurrentDBClient } from '@kurrent/kurrentdb-client';

export type LiveWakeup = { wait: (ms: number, signal?: AbortSignal) => Promise<void>; close: () => Promise<void> };

/**
 * Wakes caught-up tails when something is appended: one live `$all` subscription per store, used only as a
 * signal (the events themselves are read with readAll, so order and checkpoints stay one code path). The poll
 * interval covers a missed signal or a dropped subscription, which is re-opened on the next wait.
 */
export const createLiveWakeup = (client: KurrentDBClient, onError: (e: Error) => void): LiveWakeup => {
  let subscription: AllStreamSubscription | undefined;
  let closed = false;
  const { wait: waitForWake, wakeAll } = createWakeWaiters();

  const ensure = () => {
    if (subscription || closed) return;
    const s = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    s.on('data', wakeAll);
    s.on('error', (e: Error) => {
      onError(e);
      if (subscription === s) subscription = undefined;
    });
    s.on('close', () => {
      if (subscription === s) subscription = undefined;
    });
    subscription = s;
  };

  const wait = async (ms: number, signal?: AbortSignal) => {
    if (closed) return;
    try {
      ensure();
    } catch (e) {
      onError(e as Error);
    }
    await waitForWake(ms, signal);
  };

  const close = async () => {
    closed = true;
    wakeAll();
    const s = subscription;
    subscription = undefined;
    if (s) await s.unsubscribe().catch(() => {});
  };
  return { wait, close };
};
