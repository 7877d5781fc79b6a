import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, coupon, person } from '../../support/people.js';
import { standardCallers } from '../../support/callers.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';
import { postScan } from '../../integration/scans/multipart.js';
import { lineOf } from '../../integration/scans/scanCorpus.js';

/**
 * Attack: a site learns anyone's exact birth date by sending refused dose records (a binary search over dates:
 * "before birth" / "too young" / anything else), never writing a dose (a lot that fits no maker keeps every try
 * refused), and learns dose counts from "expected dose N". Nothing it sends may tell it a personal value.
 */
describe('attack: a site reading birth dates and dose counts from refusals', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof standardCallers>>;
  const adult = person(1); // born 1960-04-01
  const other = { ...person(2), birthDate: '1975-09-30' };
  const child = { ...person(3), birthDate: '2016-02-29' }; // under 12 until 2028
  const tryDose = (who: { coupon: string }, date: string, lot = 'X', doseNumber = 1, headers = as.site) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers,
      payload: { municipality: CHIYODA, coupon: who.coupon, doseNumber, date, vaccine: { maker: 'pfizer', lot }, siteCode: 'S001' },
    });

  beforeAll(async () => {
    // Refusals are rate-limited per site (rateLimits.test.ts); here the answers themselves are under test.
    t = await createTestApp({ env: { VRS_RATE_SITE_REFUSALS: '1000' } });
    as = await standardCallers(t);
    for (const p of [adult, other, child]) expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: as.chiyoda, payload: p })).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('refusals of what the request alone gets wrong are the same whoever the coupon names', async () => {
    const dates = ['1959-06-01', '1960-03-31', '1960-04-01', '1965-01-01', '1975-10-01', '1990-01-01', '2021-06-01', '2099-01-01'];
    for (const date of dates) {
      const answers = [];
      for (const who of [adult, other, child, { coupon: coupon(999) }]) {
        const res = await tryDose(who, date);
        answers.push({ status: res.statusCode, body: res.json() });
      }
      for (const a of answers) expect(a).toEqual(answers[0]);
      expect(['DATE_BEFORE_BIRTH', 'AGE_NOT_ELIGIBLE']).not.toContain(answers[0].body.error.code);
    }
  });

  it('a refusal that depends on the person is one generic answer to a site, naming no rule and no figure', async () => {
    const tooYoung = await tryDose(child, '2024-01-10', 'FA1234');
    const outOfOrder = await tryDose(adult, '2024-01-10', 'FA1234', 3);
    expect((await tryDose(adult, '2024-01-10', 'FA1234', 1)).statusCode).toBe(201);
    const sameDay = await tryDose(adult, '2024-01-10', 'FA1234', 2);
    const tooSoon = await tryDose(adult, '2024-01-20', 'FA1234', 2);
    const bodies = [tooYoung, outOfOrder, sameDay, tooSoon].map((r) => ({ status: r.statusCode, body: r.json() }));
    for (const b of bodies) expect(b).toEqual({ status: 422, body: { error: { code: 'DOSE_REFUSED', message: expect.any(String) } } });
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(JSON.stringify(bodies)).not.toMatch(/2016|1960|expected|valid doses|earliest/);
  });

  it('the municipality, which may read the person, still gets the precise reason', async () => {
    const res = await tryDose(child, '2024-01-10', 'FA1234', 1, as.chiyoda);
    expect(res.json().error.code).toBe('AGE_NOT_ELIGIBLE');
  });

  it('refused records that read the person are in the access log', async () => {
    const log = await t.app.inject({ method: 'GET', url: '/v1/audit/access?actor=nurse-1', headers: as.auditor });
    const records = log.json().entries.filter((e: { endpoint: string }) => e.endpoint === 'POST /v1/vaccinations').map((e: { record: string }) => e.record);
    expect(records).toEqual(expect.arrayContaining([`recipient-${CHIYODA}-${child.coupon}`, `recipient-${CHIYODA}-${adult.coupon}`]));
  });

  it('a scan refused on the person says DOSE_REFUSED too, and is in the access log', async () => {
    const image = await makeCoupon({ line: lineOf(1, CHIYODA, child.coupon), layout: 'chiyoda', variant: 'clean', qr: true, seed: 7 });
    const res = await postScan(t.app, as.site, image, { date: '2024-02-01' });
    expect(res.json()).toMatchObject({ status: 'needs-review', reasons: ['rule-refused'], ruleCode: 'DOSE_REFUSED' });
    const log = await t.app.inject({ method: 'GET', url: `/v1/audit/access?actor=nurse-1&record=recipient-${CHIYODA}-${child.coupon}`, headers: as.auditor });
    expect(log.json().entries.map((e: { endpoint: string }) => e.endpoint)).toContain('POST /v1/scans');
  });
});
