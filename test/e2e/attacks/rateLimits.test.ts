import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, YOKOHAMA, coupon, myNumberFor, person } from '../../support/people.js';

/**
 * Attack: with a token, probe at machine speed — My Numbers through the look-up, coupons through transfers,
 * dates through a site's refused dose records. Each is limited per caller (the token's sub; a site's refusals
 * per site code), with a 429 that says when to retry; other callers are not held back by it.
 */
describe('attack: probing at machine speed', () => {
  let t: TestApp;
  const clerk = (sub: string) => t.auth('municipality', { municipality: YOKOHAMA, sub });
  const lookup = async (sub: string, n: number) =>
    t.app.inject({ method: 'POST', url: '/v1/transfers/lookup', headers: await clerk(sub), payload: { myNumber: myNumberFor(n) } });
  const transfer = async (sub: string, n: number) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: await clerk(sub),
      payload: { from: { municipality: CHIYODA, coupon: coupon(n) }, myNumber: myNumberFor(n), consent: { method: 'written', at: '2024-01-01T00:00:00Z' }, to: { coupon: coupon(n), addressNumber: `Y${n}` } },
    });
  const dose = async (site: string, who: { coupon: string }, date: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: await t.auth('site', { site, sub: `nurse-${site}-${date}` }), // a new sub each time: the limit is the site's
      payload: { municipality: CHIYODA, coupon: who.coupon, doseNumber: 1, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: site },
    });
  const expectLimited = (res: Awaited<ReturnType<typeof lookup>>) => {
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/retry after \d+ s/), details: expect.objectContaining({ retryAfterSeconds: expect.any(Number) }) } });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { VRS_RATE_LOOKUPS: '3', VRS_RATE_TRANSFERS: '2', VRS_RATE_SITE_REFUSALS: '2', VRS_RATE_WINDOW_SECONDS: '600' } });
    const chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    for (let n = 1; n <= 5; n++) expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(n), birthDate: '2016-01-01' } })).statusCode).toBe(201);
    for (let n = 6; n <= 10; n++) expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(n) })).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('limits My Number look-ups per caller, not for everyone', async () => {
    for (let n = 0; n < 3; n++) expect((await lookup('prober', 50_000 + n)).statusCode).toBe(200);
    expectLimited(await lookup('prober', 50_010));
    expect((await lookup('colleague', 50_011)).statusCode).toBe(200);
  });

  it('limits transfer attempts per caller', async () => {
    expect((await transfer('prober-2', 800)).statusCode).toBe(404);
    expect((await transfer('prober-2', 801)).statusCode).toBe(404);
    expectLimited(await transfer('prober-2', 802));
    expect((await transfer('colleague-2', 803)).statusCode).toBe(404);
  });

  it('counts a site\'s refusals, not its records, and then refuses it until the window ends', async () => {
    // Four records in a row are fine: records are not limited.
    for (let n = 6; n <= 9; n++) expect((await dose('S900', person(n), '2024-01-10')).statusCode).toBe(201);
    // Too young, too young, then the site is cut off, even for a record that would pass.
    expect((await dose('S901', person(1), '2024-01-10')).statusCode).toBe(422);
    expect((await dose('S901', person(2), '2024-01-11')).statusCode).toBe(422);
    expectLimited(await dose('S901', person(3), '2024-01-12'));
    expectLimited(await dose('S901', person(10), '2024-01-13')); // an adult without doses: would be recorded
    const untouched = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(10)}`, headers: await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' }) });
    expect(untouched.json().doses).toEqual([]);
    // Another site is not held back by it.
    expect((await dose('S902', person(5), '2024-01-10')).statusCode).toBe(422);
  });
});
