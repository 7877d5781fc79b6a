import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, person } from '../../support/people.js';
import { allRoutes } from '../../../src/api/routes/index.js';
import { createStatisticsRoutes, statisticsRoutes } from '../../../src/api/routes/statistics.js';
import { connectSse, eventually } from '../../integration/statistics/support/sseClient.js';

/**
 * A ministry client (or anyone who can set a header on its behalf) resuming the live stream from an id past the
 * ledger's head: the server must refuse it, not serve a stream that stays silent until the ledger grows past it.
 */
describe('attack: Last-Event-ID beyond the head of GET /v1/statistics/live', () => {
  let t: TestApp;
  let base: string;
  let ministry: Record<string, string>;
  let chiyoda: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ routes: (rt) => [...allRoutes(rt).filter((r) => r !== statisticsRoutes), createStatisticsRoutes({ intervalMs: 50, heartbeatMs: 200 })] });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    ministry = await t.auth('ministry', { sub: 'mhlw-1' });
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(1) });
    expect(res.statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  const dose = async (n: number, doseNumber: number, date: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: chiyoda,
      payload: { municipality: CHIYODA, coupon: person(n).coupon, doseNumber, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' },
    });
    expect(res.statusCode).toBe(201);
  };
  const open = async (query: string, headers: Record<string, string>) => {
    const res = await fetch(`${base}/v1/statistics/live${query}`, { headers: { ...ministry, ...headers } });
    const body = res.status === 200 ? undefined : ((await res.json()) as { error: { code: string; message: string } });
    if (res.status === 200) await res.body?.cancel();
    return { status: res.status, body };
  };

  it.each([
    ['far ahead in both parts', '999999999:999999999'],
    ['the next transaction', 'txid+1'],
    ['a position past the head', 'pos+1000'],
  ])('%s → 400 LAST_EVENT_ID_AHEAD (header and query alike)', async (_name, which) => {
    const head = (await t.runtime.store.head())!;
    const [txid, position] = head.checkpoint.split(':').map(BigInt);
    const id = which === 'txid+1' ? `${txid + 1n}:${position}` : which === 'pos+1000' ? `${txid}:${position + 1000n}` : which;
    for (const r of [await open('', { 'last-event-id': id }), await open(`?lastEventId=${encodeURIComponent(id)}`, {})]) {
      expect(r.status).toBe(400);
      expect(r.body!.error.code).toBe('LAST_EVENT_ID_AHEAD');
      expect(r.body!.error.message).toMatch(/Last-Event-ID/);
    }
  });

  it.each([['drop table'], ['-1'], ['1:2:3:4:5'], ['１:２'], ['1e9:0'], ['9'.repeat(21)]])('a malformed Last-Event-ID %p → 400 INVALID_LAST_EVENT_ID', async (id) => {
    const r = await open(`?lastEventId=${encodeURIComponent(id)}`, {});
    expect(r.status).toBe(400);
    expect(r.body!.error.code).toBe('INVALID_LAST_EVENT_ID');
  });

  it('the head itself is accepted, and the stream then delivers what follows (the control)', async () => {
    const head = (await t.runtime.store.head())!;
    const c = await connectSse(`${base}/v1/statistics/live`, { ...ministry, 'last-event-id': head.checkpoint });
    expect(c.status).toBe(200);
    await dose(1, 1, '2025-03-01');
    await eventually(() => c.messages.some((m) => m.event === 'delta'), 'a delta after the head arrives');
    c.close();
  });
});
