import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, person } from '../../support/people.js';
import { standardCallers } from '../../support/callers.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';
import { postScan } from '../../integration/scans/multipart.js';
import { lineOf } from '../../integration/scans/scanCorpus.js';

/**
 * A Pfizer dose dated 1995 reached the open data. Every path that writes a dose date refuses one before the
 * product's first use in Japan: a site's record, a municipality's record and correction, a scan.
 */
describe('attack: a dose dated before the product existed', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof standardCallers>>;
  const who = person(1);
  const scanned = person(2); // no dose yet: the scan names dose 1
  const base = `/v1/recipients/${CHIYODA}/${who.coupon}`;
  const record = (headers: Record<string, string>, date: string, maker = 'pfizer', lot = 'FA1234') =>
    t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers, payload: { municipality: CHIYODA, coupon: who.coupon, doseNumber: 1, date, vaccine: { maker, lot }, siteCode: 'S001' } });
  const doseEvents = async () => Number((await t.runtime.pool.query(`SELECT count(*) AS n FROM events WHERE type IN ('VaccinationRecorded', 'VaccinationCorrected')`)).rows[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    as = await standardCallers(t);
    for (const p of [who, scanned]) expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: as.chiyoda, payload: p })).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('refuses a site\'s and a municipality\'s record dated before the product\'s first use, writing nothing', async () => {
    for (const [headers, date, maker, lot] of [
      [as.site, '1995-06-01', 'pfizer', 'FA1234'],
      [as.chiyoda, '2021-02-16', 'pfizer', 'FA1234'],
      [as.site, '2021-08-22', 'astrazeneca', 'AZ1'],
      [as.chiyoda, '2022-05-24', 'novavax', 'NVX1'],
    ] as const) {
      const res = await record(headers, date, maker, lot);
      expect([res.statusCode, res.json().error.code, res.json().error.details?.field]).toEqual([422, 'DATE_BEFORE_PRODUCT_AVAILABLE', 'date']);
    }
    expect(await doseEvents()).toBe(0);
  });

  it('refuses a correction moving a dose before the product existed', async () => {
    expect((await record(as.site, '2021-02-17')).statusCode).toBe(201);
    const res = await t.app.inject({ method: 'POST', url: `${base}/vaccinations/1/corrections`, headers: as.chiyoda, payload: { changes: { date: '1995-06-01' }, reason: 'typed' } });
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'DATE_BEFORE_PRODUCT_AVAILABLE']);
    const maker = await t.app.inject({ method: 'POST', url: `${base}/vaccinations/1/corrections`, headers: as.chiyoda, payload: { changes: { vaccine: { maker: 'moderna', lot: '3001234' } }, reason: 'wrong maker' } });
    expect([maker.statusCode, maker.json().error.code]).toEqual([422, 'DATE_BEFORE_PRODUCT_AVAILABLE']);
    expect(await doseEvents()).toBe(1);
  });

  it('a scan dated before the product existed records nothing', async () => {
    const image = await makeCoupon({ line: lineOf(1, CHIYODA, scanned.coupon), layout: 'chiyoda', variant: 'clean', qr: true, seed: 5 });
    const res = await postScan(t.app, as.site, image, { date: '1995-06-01' });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ status: 'needs-review', reasons: ['rule-refused'], ruleCode: 'DATE_BEFORE_PRODUCT_AVAILABLE' });
    const status = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${scanned.coupon}`, headers: as.chiyoda });
    expect(status.json().doses).toEqual([]);
  });
});
