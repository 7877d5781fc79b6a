import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { startWorker } from '../../../src/workers/startWorker.js';

describe('startWorker', () => {
  it('runs a TypeScript module (with .js-suffixed imports) in a worker thread and passes it data', async () => {
    const worker = startWorker(new URL('../../support/echoWorker.js', import.meta.url), { value: { b: 2, a: [1, 'x'] } });
    const [message] = await once(worker, 'message');
    expect(message).toBe('{"a":[1,"x"],"b":2}');
    await worker.terminate();
  });

  it('reports a module that does not exist as an error event', async () => {
    const worker = startWorker(new URL('../../support/noSuchWorker.js', import.meta.url));
    const [error] = await once(worker, 'error');
    expect(String(error)).toMatch(/noSuchWorker/);
  });
});
