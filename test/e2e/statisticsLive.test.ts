import { describe, it, expect, beforeEach, afterEach, jest } from '@jest/globals';

// Timing-dependent over real sockets on a shared 2-core machine: seen to stall once in a few full-suite runs
// (cause not found yet, see the closing note of issue 8); a retry keeps CI honest about real failures.
jest.retryTimes(2, { logErrorsBeforeRetry: true });
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, SAPPORO, YOKOHAMA, coupon, person } from '../support/people.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { createStatisticsRoutes, statisticsRoutes } from '../../src/api/routes/statistics.js';
import { compareCheckpoints } from '../../src/eventstore/checkpointOrder.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { createStatisticsProjector } from '../integration/statistics/support/projectStatistics.js';
import { connectSse, eventually, type SseMessage } from '../integration/statistics/support/sseClient.js';
import { sumDeltas, tableCounts } from '../integration/statistics/support/sumDeltas.js';

const pfizer = { maker: 'pfizer' as const, lot: 'FA1234' };

describe('GET /v1/statistics/live over a real socket', () => {
  let t: TestApp;
  let base: string;
  let ministry: Record<string, string>;
  let project: () => Promise<void>;
  const headers: Record<string, Record<string, string>> = {};

  // A fresh server and database per attempt, so a retried test starts from nothing.
  beforeEach(async () => {
    t = await createTestApp({ routes: (rt) => [...allRoutes(rt).filter((r) => r !== statisticsRoutes), createStatisticsRoutes({ intervalMs: 50, heartbeatMs: 200 })] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    ministry = await t.auth('ministry', { sub: 'mhlw-1' });
    for (const m of [CHIYODA, SAPPORO, YOKOHAMA]) headers[m] = await t.auth('municipality', { municipality: m, sub: `clerk-${m}` });
    headers.site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    await projectionsService(t.runtime).ready(); // the read models, made by the owner and granted
    project = await createStatisticsProjector(t.runtime.pool, t.runtime.store);
  });
  afterEach(async () => t.close());

  const post = async (url: string, who: Record<string, string>, payload: unknown) => {
    const res = await t.app.inject({ method: 'POST', url, headers: who, payload: payload as Record<string, unknown> });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  };
  const dose = (m: string, c: string, doseNumber: number, date: string) =>
    post('/v1/vaccinations', headers.site, { municipality: m, coupon: c, doseNumber, date, vaccine: pfizer, siteCode: 'S001' });
  const doseUrl = (m: string, c: string, n: number) => `/v1/recipients/${m}/${c}/vaccinations/${n}`;

  /** Registrations, two doses each, a date-moving correction, a void, a transfer with a dose after it. */
  const life = async (n: number, m: string) => {
    const p = person(n, m);
    await post('/v1/recipients', headers[m], p);
    await dose(m, p.coupon, 1, '2025-03-01');
    await dose(m, p.coupon, 2, `2025-04-${String(1 + (n % 20)).padStart(2, '0')}`);
    if (n % 3 === 0) await post(`${doseUrl(m, p.coupon, 2)}/corrections`, headers[m], { changes: { date: '2025-04-25' }, reason: 'date typed wrong' });
    if (n % 4 === 0) await post(`${doseUrl(m, p.coupon, 2)}/void`, headers[m], { reason: 'recorded on the wrong person' });
    if (n % 5 === 0 && m !== YOKOHAMA) {
      const to = coupon(90_000 + n);
      await post('/v1/transfers', headers[YOKOHAMA], { from: { municipality: m, coupon: p.coupon }, myNumber: p.myNumber, consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: to, addressNumber: `Y${n}` } });
      await dose(YOKOHAMA, to, n % 4 === 0 ? 2 : 3, '2025-09-01');
    }
  };

  const projectedCounts = async () => {
    await project();
    return tableCounts(t.runtime.pool);
  };
  const ids = (ms: SseMessage[]) => ms.filter((m) => m.event === 'delta').map((m) => m.id!);

  it('sums to the daily table, and a client resuming with Last-Event-ID misses and repeats nothing', async () => {
    const a = await connectSse(`${base}/v1/statistics/live`, ministry);
    const b1 = await connectSse(`${base}/v1/statistics/live`, ministry);
    expect(a.status).toBe(200);
    for (let n = 1; n <= 6; n++) await life(n, n % 2 ? CHIYODA : SAPPORO);
    await eventually(() => ids(b1.messages).length >= 3, 'b received a few deltas');
    b1.close();
    const lastSeen = ids(b1.messages).at(-1)!;

    for (let n = 7; n <= 12; n++) await life(n, n % 2 ? CHIYODA : SAPPORO);
    const mid = await projectedCounts();
    await eventually(() => JSON.stringify(sumDeltas(a.messages)) === JSON.stringify(mid), 'a caught up while b was away');

    const b2 = await connectSse(`${base}/v1/statistics/live`, { ...ministry, 'last-event-id': lastSeen });
    for (let n = 13; n <= 15; n++) await life(n, n % 2 ? CHIYODA : YOKOHAMA);
    const final = await projectedCounts();
    expect(Object.keys(final).length).toBeGreaterThan(5);

    await eventually(() => JSON.stringify(sumDeltas(a.messages)) === JSON.stringify(final), 'a sums to the table');
    await eventually(() => JSON.stringify(sumDeltas([...b1.messages, ...b2.messages])) === JSON.stringify(final), 'b sums to the table');
    expect(sumDeltas([...b1.messages, ...b2.messages])).toEqual(final);
    // Ids only move forward across the reconnect: nothing repeated.
    const bIds = [...ids(b1.messages), ...ids(b2.messages)];
    for (let i = 1; i < bIds.length; i++) expect(compareCheckpoints(bIds[i], bIds[i - 1])).toBeGreaterThan(0);
    a.close();
    b2.close();
  });

  it('sends heartbeats while idle and refuses a malformed Last-Event-ID and other roles', async () => {
    const c = await connectSse(`${base}/v1/statistics/live`, ministry);
    await eventually(() => c.bytes() > 40, 'heartbeat comments arrive');
    c.close();
    const bad = await fetch(`${base}/v1/statistics/live`, { headers: { ...ministry, 'last-event-id': 'drop table' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_LAST_EVENT_ID');
    const municipality = await fetch(`${base}/v1/statistics/live`, { headers: headers[CHIYODA] });
    expect(municipality.status).toBe(403);
  });
});
