import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, YOKOHAMA, coupon, myNumberFor, person } from '../../support/people.js';
import { standardCallers } from '../../support/callers.js';

/**
 * Attack: a municipality (Yokohama) guesses Chiyoda coupon numbers and "transfers" people to itself, then reads
 * their name, birth date and address as its own recipients. A transfer must prove the person with their My Number,
 * and every unproved attempt must look the same and be in the access log.
 */
describe('attack: taking a person over by coupon number', () => {
  let t: TestApp;
  let as: Awaited<ReturnType<typeof standardCallers>>;
  const victim = person(1);
  const noMyNumber = (({ myNumber: _m, ...p }) => p)(person(2));
  const erased = person(3);
  const consent = { method: 'in-person', at: '2024-01-01T10:00:00+09:00' };
  const attempt = (fromCoupon: string, myNumber: string, to: number) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: as.yokohama,
      payload: { from: { municipality: CHIYODA, coupon: fromCoupon }, myNumber, consent, to: { coupon: coupon(to), addressNumber: `Y${to}` } },
    });

  beforeAll(async () => {
    t = await createTestApp();
    as = await standardCallers(t);
    for (const p of [victim, noMyNumber, erased]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: as.chiyoda, payload: p });
      expect(res.statusCode).toBe(201);
    }
    const erasure = await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${erased.coupon}/personal-data`, headers: as.admin, payload: { reason: 'retention period over' } });
    expect(erasure.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('an unproved take-over answers the same 404 whether the coupon is unknown, erased, without My Number or someone else', async () => {
    const guessedMyNumber = myNumberFor(99_999_999); // a valid number, not the victim's
    const answers = [
      await attempt(victim.coupon, guessedMyNumber, 501),
      await attempt(coupon(777), guessedMyNumber, 502), // nobody registered
      await attempt(noMyNumber.coupon, guessedMyNumber, 503),
      await attempt(erased.coupon, erased.myNumber, 504), // even with the erased person's real number
      await attempt(victim.coupon, person(2).myNumber, 505),
    ];
    const shapes = answers.map((a) => ({ status: a.statusCode, body: a.json() }));
    expect(shapes[0]).toEqual({ status: 404, body: { error: { code: 'RECIPIENT_NOT_FOUND', message: expect.any(String), details: expect.anything() } } });
    for (const s of shapes) expect(s).toEqual(shapes[0]);
    expect(answers.map((a) => Object.keys(a.headers).sort().join())).toEqual(answers.map(() => Object.keys(answers[0].headers).sort().join()));

    // Nobody moved: the victim is still Chiyoda's, and Yokohama reads nothing of them.
    const still = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${victim.coupon}`, headers: as.chiyoda });
    expect(still.json().status).toBe('active');
    for (const n of [501, 502, 503, 504, 505]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/recipients/${YOKOHAMA}/${coupon(n)}`, headers: as.yokohama });
      expect(res.statusCode).toBe(404);
    }
  });

  it('every refused take-over is in the access log for auditors', async () => {
    const log = await t.app.inject({ method: 'GET', url: '/v1/audit/access?actor=clerk-yokohama', headers: as.auditor });
    const probes = log.json().entries.filter((e: { endpoint: string }) => e.endpoint === 'POST /v1/transfers').map((e: { record: string }) => e.record);
    expect(probes).toEqual(
      expect.arrayContaining([`recipient-${CHIYODA}-${victim.coupon}`, `recipient-${CHIYODA}-${coupon(777)}`, `recipient-${CHIYODA}-${noMyNumber.coupon}`, `recipient-${CHIYODA}-${erased.coupon}`]),
    );
    expect(probes.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses a transfer without My Number or consent, and a consent dated in the future', async () => {
    const base = { from: { municipality: CHIYODA, coupon: victim.coupon }, to: { coupon: coupon(600), addressNumber: 'Y600' } };
    const without = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: as.yokohama, payload: base });
    expect(without.statusCode).toBe(400);
    const future = await t.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: as.yokohama,
      payload: { ...base, myNumber: victim.myNumber, consent: { method: 'online', at: new Date(Date.now() + 3_600_000).toISOString() } },
    });
    expect([future.statusCode, future.json().error.code]).toEqual([422, 'INVALID_CONSENT']);
    const method = await t.app.inject({ method: 'POST', url: '/v1/transfers', headers: as.yokohama, payload: { ...base, myNumber: victim.myNumber, consent: { method: 'telepathy', at: consent.at } } });
    expect(method.statusCode).toBe(400);
  });

  it('the person who moves (their My Number, their consent) is taken over, and the consent is on record', async () => {
    const res = await attempt(victim.coupon, victim.myNumber, 700);
    expect(res.statusCode).toBe(201);
    const history = await t.app.inject({ method: 'GET', url: `/v1/recipients/${YOKOHAMA}/${coupon(700)}/history`, headers: as.auditor });
    const transferredIn = history.json().events.find((e: { type: string }) => e.type === 'RecipientTransferredIn');
    expect(transferredIn.data.consent).toEqual({ method: 'in-person', at: '2024-01-01T01:00:00.000Z' });
  });

  it('the look-up answers DESIGN\'s fields only', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers/lookup', headers: as.yokohama, payload: { myNumber: victim.myNumber } });
    expect(res.statusCode).toBe(200);
    for (const r of res.json().registrations) {
      expect(Object.keys(r).sort()).toEqual(['coupon', 'doses', 'municipality', 'status']);
    }
    expect(JSON.stringify(res.json())).not.toContain(victim.name);
  });

  it('the OpenAPI document shows the proof and consent the body needs', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const schema = doc.paths['/v1/transfers'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['from', 'myNumber', 'consent', 'to']));
    expect(schema.properties.consent.properties.method.enum).toEqual(['in-person', 'written', 'online']);
  });
});
