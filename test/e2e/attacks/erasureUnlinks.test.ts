import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectionsService } from '../../../src/projections/projectionsService.js';
import { CHIYODA, YOKOHAMA, coupon, person } from '../../support/people.js';
import { createTestApp, type TestApp } from '../../support/testApp.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * After erasure nothing leads from what identifies the person back to the registration: another municipality
 * that knows the My Number does not find it (look-up, transfer), search by name or birth date does not return
 * it, and the number can be registered again.
 */
describe('attack: find an erased person again by what identifies them', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  let yokohama: Record<string, string>;
  const who = { ...person(41), nameKana: 'ショウキョ サレコ', birthDate: '1961-02-03' };

  const settle = async () => {
    const head = (await t.runtime.store.head())!.position;
    for (let i = 0; i < 400; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query: { limit: '1' } });
      if (BigInt(r.json().asOfPosition) >= head) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('projection did not catch up');
  };

  beforeAll(async () => {
    t = await createTestApp();
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    yokohama = await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-yokohama' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: who })).statusCode).toBe(201);
    const admin = await t.auth('admin', { sub: 'admin-1' });
    const erased = await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${who.coupon}/personal-data`, headers: admin, payload: { reason: 'request' } });
    expect(erased.statusCode).toBeLessThan(300);
    await settle();
  });
  afterAll(async () => t.close());

  it('My Number look-up does not find the erased registration', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/v1/transfers/lookup', headers: yokohama, payload: { myNumber: who.myNumber } });
    expect(r.statusCode).toBe(200);
    expect(r.json().registrations).toEqual([]);
  });

  it('the claim stream no longer links the number to the registration', async () => {
    const { rows } = await t.runtime.pool.query("SELECT type FROM events WHERE stream LIKE 'mynumber-%' ORDER BY position");
    expect(rows.map((r) => r.type)).toEqual(['MyNumberClaimed', 'MyNumberUnlinked']);
  });

  it('a transfer of the erased registration is not made', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: yokohama,
      payload: { from: { municipality: CHIYODA, coupon: who.coupon }, myNumber: who.myNumber, consent: { method: 'in-person', at: '2026-12-01T10:00:00+09:00' }, to: { coupon: coupon(9041), addressNumber: 'Y1' } },
    });
    expect(r.statusCode).not.toBe(201);
    expect(r.body).not.toContain(who.name);
  });

  it('search by name or birth date does not return it; its row keeps nothing to search by', async () => {
    const queries: Record<string, string>[] = [{ nameKana: 'ショウキョ' }, { birthDate: who.birthDate }, { nameKana: 'ショ', birthDate: who.birthDate }];
    for (const query of queries) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query });
      expect(r.statusCode).toBe(200);
      expect(r.json().items.map((i: { coupon: string }) => i.coupon)).not.toContain(who.coupon);
    }
    const listed = await t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query: { status: 'erased' } });
    expect(listed.json().items).toEqual([expect.objectContaining({ coupon: who.coupon, person: null, addressNumber: null })]);
  });

  it('the My Number can be registered again', async () => {
    const again = { ...person(42, YOKOHAMA), myNumber: who.myNumber };
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: yokohama, payload: again })).statusCode).toBe(201);
    const r = await t.app.inject({ method: 'POST', url: '/v1/transfers/lookup', headers: yokohama, payload: { myNumber: who.myNumber } });
    expect(r.json().registrations.map((x: { municipality: string; coupon: string }) => [x.municipality, x.coupon])).toEqual([[YOKOHAMA, again.coupon]]);
  });
});
