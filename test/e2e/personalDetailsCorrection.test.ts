import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, person } from '../support/people.js';

/** POST /v1/recipients/{m}/{c}/corrections changes what 接種状況 shows, and the history keeps the before, the after and why. */
describe('correcting a recipient’s personal details over HTTP', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  const who = person(31);
  const base = `/v1/recipients/${CHIYODA}/${who.coupon}`;
  const changes = { name: '訂正 花子', birthDate: '1961-05-02' };
  const reason = 'name and birth date typed from the wrong form';

  beforeAll(async () => {
    t = await createTestApp();
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: who })).statusCode).toBe(201);
    const site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    const dose = { municipality: CHIYODA, coupon: who.coupon, doseNumber: 1, date: '2026-01-10', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' };
    expect((await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: dose })).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  const status = async () => (await t.app.inject({ method: 'GET', url: base, headers: chiyoda })).json();

  it('changes the name and birth date in GET /v1/recipients/{m}/{c}, leaving the rest', async () => {
    expect((await status()).person).toEqual({ name: who.name, nameKana: who.nameKana, birthDate: who.birthDate, sex: who.sex });
    const beforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 10));

    const res = await t.app.inject({ method: 'POST', url: `${base}/corrections`, headers: chiyoda, payload: { changes, reason } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ stream: `recipient-${CHIYODA}-${who.coupon}`, version: 3 });

    const after = await status();
    expect(after.person).toEqual({ name: changes.name, nameKana: who.nameKana, birthDate: changes.birthDate, sex: who.sex });
    expect(after).toMatchObject({ status: 'active', version: 3, doses: [{ doseNumber: 1, date: '2026-01-10' }] });

    const history = await t.app.inject({ method: 'GET', url: `${base}/history`, headers: chiyoda });
    expect(history.statusCode).toBe(200);
    const h = history.json();
    expect(h.events.map((e: { type: string }) => e.type)).toEqual(['RecipientRegistered', 'VaccinationRecorded', 'RecipientDetailsCorrected']);
    expect(h.events[2]).toMatchObject({ version: 3, reason, actor: { role: 'municipality', municipality: CHIYODA, sub: 'clerk-chiyoda' } });
    expect(h.events[2].data.personal).toEqual(changes); // the changed fields, unsealed for a reader allowed to see them
    expect(h.state.person).toMatchObject(changes);
    expect(JSON.stringify(h)).not.toContain(who.myNumber);

    // The state as of a time before the correction still shows what was registered.
    const asOf = (await t.app.inject({ method: 'GET', url: `${base}/history?asOf=${encodeURIComponent(beforeCorrection)}`, headers: chiyoda })).json();
    expect(asOf.events).toHaveLength(2);
    expect(asOf.state.person).toMatchObject({ name: who.name, birthDate: who.birthDate });
  });

  it('refuses a birth date after a recorded dose or without a reason, writing nothing', async () => {
    const afterDose = await t.app.inject({ method: 'POST', url: `${base}/corrections`, headers: chiyoda, payload: { changes: { birthDate: '2026-02-01' }, reason: 'typo' } });
    expect(afterDose.statusCode).toBe(422);
    const noReason = await t.app.inject({ method: 'POST', url: `${base}/corrections`, headers: chiyoda, payload: { changes: { name: '別人 太郎' } } });
    expect(noReason.statusCode).toBe(400);
    const now = await status();
    expect(now.version).toBe(3);
    expect(now.person).toMatchObject(changes);
  });
});
