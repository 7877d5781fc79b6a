import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, YOKOHAMA, person, coupon } from '../support/people.js';

const pfizer = (lot = 'FA1234') => ({ maker: 'pfizer' as const, lot });

describe('a recipient’s whole life over HTTP', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  let yokohama: Record<string, string>;
  let site: Record<string, string>;
  let auditor: Record<string, string>;
  const who = person(1);
  const base = `/v1/recipients/${CHIYODA}/${who.coupon}`;

  beforeAll(async () => {
    t = await createTestApp();
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    yokohama = await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-yokohama' });
    site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    auditor = await t.auth('auditor', { sub: 'auditor-1' });
  });
  afterAll(async () => t.close());

  const dose = (doseNumber: number, date: string, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: site,
      payload: { municipality: CHIYODA, coupon: who.coupon, doseNumber, date, vaccine: pfizer(), siteCode: 'S001', ...extra },
    });

  it('registers, records, refuses a dose too early, corrects, voids, transfers and continues there', async () => {
    const reg = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: who });
    expect(reg.statusCode).toBe(201);
    expect(reg.json()).toMatchObject({ stream: `recipient-${CHIYODA}-${who.coupon}`, version: 1 });

    expect((await dose(1, '2026-01-10')).statusCode).toBe(201);
    const early = await dose(2, '2026-01-20');
    expect(early.statusCode).toBe(422);
    // A site is not told which rule about the person refused it (attacks/siteBirthDateOracle.test.ts).
    expect(early.json().error.code).toBe('DOSE_REFUSED');
    expect((await dose(2, '2026-02-01')).statusCode).toBe(201);

    const status = await t.app.inject({ method: 'GET', url: base, headers: chiyoda });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      municipality: CHIYODA,
      coupon: who.coupon,
      status: 'active',
      person: { name: who.name, nameKana: 'セッシュ タロウ', birthDate: '1960-04-01', sex: 'M' },
      doses: [
        { doseNumber: 1, date: '2026-01-10', vaccine: pfizer(), siteCode: 'S001', source: 'manual', corrected: false },
        { doseNumber: 2, date: '2026-02-01', corrected: false },
      ],
      nextEligibleDate: '2026-05-01',
      version: 3,
    });
    const beforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 10));

    const corrected = await t.app.inject({
      method: 'POST',
      url: `${base}/vaccinations/2/corrections`,
      headers: chiyoda,
      payload: { changes: { vaccine: { lot: 'FA5678' } }, reason: 'lot typed wrong' },
    });
    expect(corrected.statusCode).toBe(201);

    const voided = await t.app.inject({ method: 'POST', url: `${base}/vaccinations/2/void`, headers: chiyoda, payload: { reason: 'recorded on the wrong person' } });
    expect(voided.statusCode).toBe(201);
    const afterVoid = (await t.app.inject({ method: 'GET', url: base, headers: chiyoda })).json();
    expect(afterVoid.doses.map((d: { doseNumber: number }) => d.doseNumber)).toEqual([1]);
    expect((await dose(2, '2026-02-03')).statusCode).toBe(201);

    const newCoupon = coupon(9001);
    const transfer = await t.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: yokohama,
      payload: { from: { municipality: CHIYODA, coupon: who.coupon }, myNumber: who.myNumber, consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: newCoupon, addressNumber: 'Y-77' } },
    });
    expect(transfer.statusCode).toBe(201);
    const old = (await t.app.inject({ method: 'GET', url: base, headers: chiyoda })).json();
    expect(old.status).toBe('transferred-out');

    const dose3 = await t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: yokohama,
      payload: { municipality: YOKOHAMA, coupon: newCoupon, doseNumber: 3, date: '2026-05-03', vaccine: { maker: 'moderna', lot: '3001234' }, siteCode: 'Y-SITE' },
    });
    expect(dose3.statusCode).toBe(201);
    const there = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${YOKOHAMA}/${newCoupon}`, headers: yokohama })).json();
    expect(there.status).toBe('active');
    expect(there.doses.map((d: { doseNumber: number; source: string }) => [d.doseNumber, d.source])).toEqual([
      [1, 'transfer'],
      [2, 'transfer'],
      [3, 'manual'],
    ]);
    // Booster interval counted across the transfer: three months after 2026-02-03.
    const tooEarly = await t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: yokohama,
      payload: { municipality: YOKOHAMA, coupon: newCoupon, doseNumber: 4, date: '2026-06-01', vaccine: { maker: 'moderna', lot: '3001234' }, siteCode: 'Y-SITE' },
    });
    expect(tooEarly.json().error.code).toBe('DOSE_INTERVAL_TOO_SHORT');

    const history = await t.app.inject({ method: 'GET', url: `${base}/history?asOf=${encodeURIComponent(beforeCorrection)}`, headers: auditor });
    expect(history.statusCode).toBe(200);
    const h = history.json();
    expect(h.events.map((e: { type: string }) => e.type)).toEqual(['RecipientRegistered', 'VaccinationRecorded', 'VaccinationRecorded']);
    expect(h.state.doses[1].vaccine.lot).toBe('FA1234');
    expect(h.events[0].actor).toMatchObject({ role: 'municipality', municipality: CHIYODA, sub: 'clerk-chiyoda' });
    expect(JSON.stringify(h)).not.toContain(who.myNumber);

    const full = (await t.app.inject({ method: 'GET', url: `${base}/history`, headers: auditor })).json();
    expect(full.events.map((e: { type: string }) => e.type)).toEqual([
      'RecipientRegistered', 'VaccinationRecorded', 'VaccinationRecorded', 'VaccinationCorrected',
      'VaccinationVoided', 'VaccinationRecorded', 'RecipientTransferredOut',
    ]);
    expect(full.events[3]).toMatchObject({ reason: 'lot typed wrong', actor: { sub: 'clerk-chiyoda' } });
  });

  it('finds the registrations of a My Number given in the body, and logs the read', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/transfers/lookup', headers: yokohama, payload: { myNumber: who.myNumber } });
    expect(res.statusCode).toBe(200);
    expect(res.json().registrations.map((r: { municipality: string; status: string }) => [r.municipality, r.status])).toEqual([
      [YOKOHAMA, 'active'],
      [CHIYODA, 'transferred-out'],
    ]);
    const log = await t.app.inject({ method: 'GET', url: `/v1/audit/access?actor=clerk-yokohama`, headers: auditor });
    expect(log.json().entries.map((e: { endpoint: string }) => e.endpoint)).toContain('POST /v1/transfers/lookup');
  });

  it('refuses a second active registration of the same My Number anywhere', async () => {
    const again = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...who, coupon: coupon(2) } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('MY_NUMBER_ALREADY_ACTIVE');
    expect(JSON.stringify(again.json())).not.toContain(who.myNumber);
  });

  it('answers a retried request with the first result and writes nothing more', async () => {
    const p = person(3);
    await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p });
    const body = { municipality: CHIYODA, coupon: p.coupon, doseNumber: 1, date: '2026-03-01', vaccine: pfizer(), siteCode: 'S001' };
    const first = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': 'retry-1' }, payload: body });
    const retry = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': 'retry-1' }, payload: body });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    const reused = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': 'retry-1' }, payload: { ...body, date: '2026-03-02' } });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const s = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}`, headers: chiyoda })).json();
    expect(s.version).toBe(2);
  });

  it('lets exactly one of two concurrent dose-2 requests through', async () => {
    const p = person(4);
    await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p });
    const d = (date: string) => ({ municipality: CHIYODA, coupon: p.coupon, doseNumber: 2, date, vaccine: pfizer(), siteCode: 'S001' });
    await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: { ...d('2026-01-01'), doseNumber: 1 } });
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: d('2026-02-01') }),
      t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: d('2026-02-02') }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409].sort().length === 2 ? [201, expect.any(Number)] : []);
    const loser = a.statusCode === 201 ? b : a;
    expect([409, 422]).toContain(loser.statusCode);
    const s = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}`, headers: chiyoda })).json();
    expect(s.doses).toHaveLength(2);
  });

  it('erases personal data: the record stays, the person becomes unreadable', async () => {
    const p = person(5);
    await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p });
    await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: { municipality: CHIYODA, coupon: p.coupon, doseNumber: 1, date: '2026-03-01', vaccine: pfizer(), siteCode: 'S001' } });
    const admin = await t.auth('admin');
    const erase = await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${p.coupon}/personal-data`, headers: admin, payload: { reason: 'retention period over' } });
    expect(erase.statusCode).toBe(200);
    const s = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}`, headers: chiyoda })).json();
    expect(s).toMatchObject({ status: 'erased', person: null });
    expect(s.doses).toHaveLength(1);
    const h = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}/history`, headers: auditor })).json();
    expect(JSON.stringify(h)).not.toContain(p.name);
    // The number is free again for a new registration.
    const again = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...p, coupon: coupon(6) } });
    expect(again.statusCode).toBe(201);
  });
});
