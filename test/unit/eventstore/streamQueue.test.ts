import { describe, it, expect } from '@jest/globals';
import { createStreamQueue } from '../../../src/eventstore/postgres/streamQueue.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('stream queue (appends to one stream from one process, one at a time)', () => {
  it('never runs two works on the same stream at once, and keeps arrival order', async () => {
    const queue = createStreamQueue();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        queue(['hot'], async () => {
          most = Math.max(most, ++running);
          await tick();
          order.push(i);
          running--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('runs works on different streams side by side', async () => {
    const queue = createStreamQueue();
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue([`s-${i}`], async () => {
          most = Math.max(most, ++running);
          await tick();
          running--;
        }),
      ),
    );
    expect(most).toBe(10);
  });

  it('a multi-stream work waits for each of its streams; a failure does not hold up the next', async () => {
    const queue = createStreamQueue();
    const log: string[] = [];
    const a = queue(['a'], async () => {
      await tick();
      log.push('a');
      throw new Error('refused');
    });
    const b = queue(['b'], async () => {
      await tick();
      await tick();
      log.push('b');
    });
    const ab = queue(['a', 'b'], async () => {
      log.push('ab');
      return 'done';
    });
    await expect(a).rejects.toThrow('refused');
    await b;
    await expect(ab).resolves.toBe('done');
    expect(log).toEqual(['a', 'b', 'ab']);
  });
});
