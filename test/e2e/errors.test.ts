import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, person, coupon } from '../support/people.js';

/** The error contract: `{error: {code, message, details?}}`, a 400 that says which field and why, and the HTTP-level errors. */
let t: TestApp;
let chiyoda: Record<string, string>;
let site: Record<string, string>;
let auditor: Record<string, string>;

type Issue = { field: string; message: string };
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string; details?: { issues?: Issue[] } } }).error;
const eventCount = async () => Number((await t.runtime.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
const dose = (n: number, extra: Record<string, unknown> = {}) => ({ municipality: CHIYODA, coupon: coupon(n), doseNumber: 1, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001', ...extra });

beforeAll(async () => {
  t = await createTestApp();
  chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
  site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
  auditor = await t.auth('auditor', { sub: 'auditor-1' });
  for (const n of [1, 2, 3, 4]) await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(n) });
});
afterAll(async () => t.close());

describe('400: which field, and why', () => {
  it.each([
    ['a missing field', { ...person(10), name: undefined }, 'name', /expected string/i],
    ['a wrong type', { ...person(10), medicalWorker: 'yes' }, 'medicalWorker', /expected boolean/i],
    ['a value outside an enum', { ...person(10), sex: 'X' }, 'sex', /"M"|M\|F/],
    ['a string too long', { ...person(10), address: 'あ'.repeat(301) }, 'address', /300/], // the import's limit too (src/domain/recipient/fields.ts)
    ['an unknown field', { ...person(10), favouriteColour: 'blue' }, '(body)', /unknown field: favouriteColour/],
  ])('register with %s', async (_what, payload, field, why) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload });
    expect(res.statusCode).toBe(400);
    const e = errorOf(res.body);
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.details?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(why) })]));
    expect(e.message).toContain(field);
  });

  it('names a nested field by its path', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: dose(1, { vaccine: { maker: 'sputnik', lot: 'X1' } }) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).details?.issues).toEqual([expect.objectContaining({ field: 'vaccine.maker' })]);
    expect(errorOf(res.body).message).toMatch(/^body: vaccine\.maker: /);
  });

  it('names every wrong field at once', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: dose(1, { doseNumber: 'two', date: 20250602 }) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).details?.issues?.map((i) => i.field).sort()).toEqual(['date', 'doseNumber']);
  });

  it('names a path parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/12345`, headers: chiyoda });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).message).toBe('params: c: must be 10 digits');
  });

  it('names a query parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(1)}/history?asOf=yesterday`, headers: auditor });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/^querystring: asOf: /) });
  });

  it('a domain rule is a 422 with a stable code and the field in details, and writes nothing', async () => {
    const before = await eventCount();
    const res = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(11), birthDate: '2999-01-01' } });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res.body)).toMatchObject({ code: 'DATE_IN_FUTURE', details: { field: 'birthDate' } });
    expect(await eventCount()).toBe(before);
  });
});

describe('HTTP-level errors in the same shape', () => {
  it('404 for an unknown route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: chiyoda });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res.body)).toEqual({ code: 'NOT_FOUND', message: 'no route GET /v1/nothing-here' });
  });

  it('404 for a known path with a method it does not have', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/vaccinations', headers: site, payload: dose(1) });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res.body).code).toBe('NOT_FOUND');
  });

  it('404 for a recipient that is not registered', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(999)}`, headers: chiyoda });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res.body).code).toBe('RECIPIENT_NOT_FOUND');
  });

  it('404 for the history of a recipient never registered, with or without asOf; an empty history before registration', async () => {
    const now = encodeURIComponent(new Date().toISOString());
    for (const url of [`/v1/recipients/${CHIYODA}/${coupon(999)}/history`, `/v1/recipients/${CHIYODA}/${coupon(999)}/history?asOf=${now}`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: auditor });
      expect({ url, status: res.statusCode, code: errorOf(res.body).code }).toEqual({ url, status: 404, code: 'RECIPIENT_NOT_FOUND' });
    }
    const before = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(1)}/history?asOf=2000-01-01T00:00:00Z`, headers: auditor });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ events: [], state: null });
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded'])('415 for a body sent as %s', async (type) => {
    const before = await eventCount();
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'content-type': type }, payload: JSON.stringify(dose(1)) });
    expect(res.statusCode).toBe(415);
    expect(errorOf(res.body).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await eventCount()).toBe(before);
  });

  it('400 for a body that is not JSON, without echoing it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'content-type': 'application/json' }, payload: '{"municipality": 131016x' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).code).toBe('BAD_REQUEST');
    expect(res.body).not.toContain('131016x');
  });

  it('400 for an empty JSON body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).code).toMatch(/^(BAD_REQUEST|INVALID_REQUEST)$/);
  });

  it('413 for a body over the limit, and nothing written', async () => {
    const before = await eventCount();
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'content-type': 'application/json' }, payload: JSON.stringify({ ...dose(1), padding: 'x'.repeat(1024 * 1024 + 1) }) });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res.body).code).toBe('PAYLOAD_TOO_LARGE');
    expect(await eventCount()).toBe(before);
  });

  it('401 and 403 carry a code and a message', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', payload: dose(1) });
    expect({ status: none.statusCode, code: errorOf(none.body).code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: auditor, payload: dose(1) });
    expect({ status: wrong.statusCode, code: errorOf(wrong.body).code }).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('400 for a URL that is not valid percent-encoding, in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/%E0%A4`, headers: chiyoda });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body)).toEqual({ code: 'BAD_URL', message: expect.any(String) });
    expect(res.body).not.toContain('%E0%A4');
  });
});

describe('Idempotency-Key', () => {
  it.each([
    ['with a space', 'retry 1'],
    ['longer than 100 characters', 'k'.repeat(101)],
    ['empty', ''],
    ['with a control character', 'a\tb'],
  ])('a key %s is a 400 naming the header, and nothing is written', async (_what, key) => {
    const before = await eventCount();
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': key }, payload: dose(1) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/^Idempotency-Key: /) });
    expect(await eventCount()).toBe(before);
  });

  it('a key of 100 printable characters is accepted, and a retry answers the same and writes nothing', async () => {
    const key = `${'k'.repeat(98)}~!`;
    const first = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': key }, payload: dose(2) });
    expect(first.statusCode).toBe(201);
    const before = await eventCount();
    const again = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': key }, payload: dose(2) });
    expect({ status: again.statusCode, body: again.json() }).toEqual({ status: 201, body: first.json() });
    expect(await eventCount()).toBe(before);
  });

  it('the body’s commandId and the header are the same key', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: dose(3, { commandId: 'cmd-3' }) });
    const before = await eventCount();
    const again = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: { ...site, 'idempotency-key': 'cmd-3' }, payload: dose(3) });
    expect({ status: again.statusCode, body: again.json() }).toEqual({ status: 201, body: first.json() });
    expect(await eventCount()).toBe(before);
  });

  it('a bad commandId in the body is a 400 naming it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: dose(4, { commandId: 'has space' }) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res.body).details?.issues).toEqual([expect.objectContaining({ field: 'commandId' })]);
  });
});
