import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { statisticsRoutes } from '../../src/api/routes/statistics.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { createStatisticsProjector } from '../integration/statistics/support/projectStatistics.js';
import { fig, recorded } from '../integration/statistics/support/figures.js';

describe('GET /v1/statistics/daily', () => {
  let t: TestApp;
  let ministry: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    ministry = await t.auth('ministry', { sub: 'mhlw-1' });
    const s = t.runtime.store;
    await s.append('r-1', [recorded(fig({ date: '2021-04-12', municipality: '011002' })), recorded(fig({ date: '2021-04-12', municipality: '011002', sex: 'M' }))]);
    await s.append('r-2', [recorded(fig({ date: '2021-04-13', municipality: '131016', doseNumber: 2 }))]);
    await s.append('r-3', [recorded(fig({ date: '2021-04-20', municipality: '141003', maker: 'moderna' }))]);
    await projectionsService(t.runtime).ready(); // the read models, made by the owner and granted
    await (await createStatisticsProjector(t.runtime.pool, s))();
  });
  afterAll(async () => t.close());

  const get = (url: string, headers: Record<string, string> = ministry) => t.app.inject({ method: 'GET', url, headers });

  it('groups by the asked dimensions within the date range', async () => {
    const res = await get('/v1/statistics/daily?from=2021-04-12&to=2021-04-13&groupBy=prefecture,doseNumber');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2021-04-12', to: '2021-04-13', prefecture: null, municipality: null, groupBy: ['prefecture', 'doseNumber'],
      rows: [
        { date: '2021-04-12', prefecture: '01', doseNumber: 1, count: 2 },
        { date: '2021-04-13', prefecture: '13', doseNumber: 2, count: 1 },
      ],
    });
  });

  it('filters by prefecture and municipality, every dimension by default', async () => {
    const res = await get('/v1/statistics/daily?municipality=141003');
    expect(res.json().rows).toEqual([
      { date: '2021-04-20', prefecture: '14', municipality: '141003', sex: 'F', ageBand: '-64', doseNumber: 1, maker: 'moderna', medicalWorker: false, count: 1 },
    ]);
    expect((await get('/v1/statistics/daily?prefecture=01&groupBy=sex')).json().rows).toEqual([
      { date: '2021-04-12', sex: 'F', count: 1 },
      { date: '2021-04-12', sex: 'M', count: 1 },
    ]);
  });

  it('answers CSV when asked', async () => {
    const res = await get('/v1/statistics/daily?groupBy=maker', { ...ministry, accept: 'text/csv' });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe('date,maker,count\n2021-04-12,pfizer,2\n2021-04-13,pfizer,1\n2021-04-20,moderna,1\n');
  });

  it('rejects bad queries with a 400 naming the field, and anyone but the ministry', async () => {
    for (const q of ['from=2021-02-30', 'groupBy=name', 'prefecture=1', 'from=2021-05-01&to=2021-04-01']) {
      const res = await get(`/v1/statistics/daily?${q}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_REQUEST');
    }
    expect((await get('/v1/statistics/daily?groupBy=name')).json().error.message).toMatch(/groupBy/);
    expect((await get('/v1/statistics/daily', await t.auth('municipality', { municipality: '131016' }))).statusCode).toBe(403);
    expect((await get('/v1/statistics/daily', {})).statusCode).toBe(401);
  });
});
