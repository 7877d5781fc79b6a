import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, SAPPORO, person, coupon, myNumberFor } from '../support/people.js';

/**
 * A coupon typed with full-width digits, hyphens or spaces is the same coupon: one stream, one registration,
 * readable at its canonical URL. (Before, the raw text named the stream: a second, unreachable registration.)
 */
let t: TestApp;
let chiyoda: Record<string, string>;
let sapporo: Record<string, string>;
let site: Record<string, string>;

const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const recordDose = (headers: Record<string, string>, c: string, siteCode = 'S001') =>
  t.app.inject({
    method: 'POST',
    url: '/v1/vaccinations',
    headers,
    payload: { municipality: CHIYODA, coupon: c, doseNumber: 1, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode },
  });
const streamsLike = async (pattern: string) =>
  (await t.runtime.pool.query<{ stream: string }>('SELECT DISTINCT stream FROM events WHERE stream LIKE $1 ORDER BY stream', [pattern])).rows.map((r) => r.stream);

beforeAll(async () => {
  t = await createTestApp();
  chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
  sapporo = await t.auth('municipality', { municipality: SAPPORO, sub: 'clerk-sapporo' });
  site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
});
afterAll(async () => t.close());

describe('coupon numbers in another spelling', () => {
  it('refuses a second registration of the same coupon written differently', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(1), myNumber: undefined } });
    expect(first.statusCode).toBe(201);
    expect(first.json().stream).toBe(`recipient-${CHIYODA}-${coupon(1)}`);
    for (const spelling of ['00000-00001', ` ${coupon(1)} `, fullWidth(coupon(1))]) {
      const again = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(1), coupon: spelling, myNumber: undefined } });
      expect({ spelling, status: again.statusCode, code: again.json().error?.code }).toEqual({ spelling, status: 409, code: 'ALREADY_REGISTERED' });
    }
    expect(await streamsLike(`recipient-${CHIYODA}-%`)).toEqual([`recipient-${CHIYODA}-${coupon(1)}`]);
  });

  it('registers a full-width coupon and municipality under their canonical stream, readable and dosable there', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/recipients',
      headers: chiyoda,
      payload: { ...person(2), municipality: fullWidth(CHIYODA), coupon: fullWidth(coupon(2)) },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().stream).toBe(`recipient-${CHIYODA}-${coupon(2)}`);
    const dose = await recordDose(site, coupon(2));
    expect(dose.statusCode).toBe(201);
    const status = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(2)}`, headers: chiyoda });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ municipality: CHIYODA, coupon: coupon(2), status: 'active', doses: [{ doseNumber: 1 }] });
  });

  it('transfers to a hyphenated coupon onto the canonical stream, and the My Number follows it there', async () => {
    const payload = { from: { municipality: CHIYODA, coupon: coupon(2) }, myNumber: myNumberFor(10_000_002), consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: '12345-67890', addressNumber: 'B2' } };
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: sapporo, payload });
    expect(res.statusCode).toBe(201);
    expect(res.json().stream).toBe(`recipient-${SAPPORO}-1234567890`);
    const moved = await t.app.inject({ method: 'GET', url: `/v1/recipients/${SAPPORO}/1234567890`, headers: sapporo });
    expect(moved.json()).toMatchObject({ status: 'active', doses: [{ doseNumber: 1 }] });
    const lookup = await t.app.inject({ method: 'POST', url: '/v1/transfers/lookup', headers: sapporo, payload: { myNumber: myNumberFor(10_000_002) } });
    expect(lookup.json().registrations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ municipality: SAPPORO, coupon: '1234567890', status: 'active' }),
        expect.objectContaining({ municipality: CHIYODA, coupon: coupon(2), status: 'transferred-out' }),
      ]),
    );
    expect(await streamsLike(`recipient-${SAPPORO}-%`)).toEqual([`recipient-${SAPPORO}-1234567890`]);
  });

  it('refuses a blank address number or site code as a shape error, writing nothing', async () => {
    const before = await streamsLike('%');
    const blankAddress = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(3), addressNumber: '   ' } });
    expect(blankAddress.statusCode).toBe(400);
    expect(blankAddress.json().error.message).toContain('addressNumber');
    const blankSite = await recordDose(chiyoda, coupon(1), '   ');
    expect(blankSite.statusCode).toBe(400);
    expect(blankSite.json().error.message).toContain('siteCode');
    expect(await streamsLike('%')).toEqual(before);
  });
});
