import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, person } from '../../support/people.js';

/**
 * Attack: idempotency keys are guessable or leak (logs, a shared client library). A second caller re-sending
 * caller A's key must neither be answered with A's result (learning that A wrote, and where) nor be refused
 * because A used the key first; A's own retry still gets A's first result, and nothing is written twice.
 */
describe('attack: re-sending another caller\'s idempotency key', () => {
  let t: TestApp;
  let clerkA: Record<string, string>;
  let clerkB: Record<string, string>;
  const who = person(1);
  const dose = (doseNumber: number, date: string) => ({ municipality: CHIYODA, coupon: who.coupon, doseNumber, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });
  const post = (headers: Record<string, string>, key: string, payload: object) =>
    t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...headers, 'idempotency-key': key }, payload });
  const doseEvents = async () =>
    (await t.runtime.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream = $1 AND type = 'VaccinationRecorded'`, [`recipient-${CHIYODA}-${who.coupon}`])).rows[0].n as number;

  beforeAll(async () => {
    t = await createTestApp();
    clerkA = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-a' });
    clerkB = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-b' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerkA, payload: who })).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('another caller with the same key and body is not answered with the first caller\'s result', async () => {
    const first = await post(clerkA, 'shared-key', dose(1, '2026-01-10'));
    expect(first.statusCode).toBe(201);
    const other = await post(clerkB, 'shared-key', dose(1, '2026-01-10'));
    // Decided on its own merits: dose 1 is already recorded.
    expect([other.statusCode, other.json().error?.code]).toEqual([422, 'DOSE_OUT_OF_ORDER']);
    expect(await doseEvents()).toBe(1);
  });

  it('another caller with the same key and another body is not refused because of the first caller', async () => {
    const other = await post(clerkB, 'shared-key', dose(2, '2026-02-10'));
    expect(other.statusCode).toBe(201);
    expect(await doseEvents()).toBe(2);
  });

  it('the first caller\'s retry still gets its first result, and nothing is written twice', async () => {
    const retry = await post(clerkA, 'shared-key', dose(1, '2026-01-10'));
    expect(retry.statusCode).toBe(201);
    expect(retry.json().version).toBe(2); // registration + dose 1
    const reused = await post(clerkA, 'shared-key', dose(3, '2026-06-10'));
    expect([reused.statusCode, reused.json().error.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await doseEvents()).toBe(2);
  });
});
