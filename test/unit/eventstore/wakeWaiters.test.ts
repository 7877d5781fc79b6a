import { describe, it, expect } from '@jest/globals';
import { createWakeWaiters } from '../../../src/eventstore/wakeWaiters.js';

// A wait of an hour stands for "never on its own": the test ends only if the wake ends it.
const HOUR = 3_600_000;

describe('createWakeWaiters', () => {
  it('a wake that came after the tail noted wakes() ends its next wait at once', async () => {
    const w = createWakeWaiters();
    const seen = w.wakes();
    w.wakeAll(); // as if a notification arrived while the tail was reading
    await w.wait(HOUR, undefined, seen);
    expect(w.wakes()).toBe(seen + 1);
  });

  it('with no wake since, the wait lasts until the next wake', async () => {
    const w = createWakeWaiters();
    let woken = false;
    const waiting = w.wait(HOUR, undefined, w.wakes()).then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    w.wakeAll();
    await waiting;
    expect(woken).toBe(true);
  });
});
