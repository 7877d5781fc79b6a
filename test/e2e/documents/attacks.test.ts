import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { standardCallers } from '../../support/callers.js';
import { CHIYODA } from '../../support/people.js';
import { pdfFonts, pdfText, recordDose, register } from './support.js';

/**
 * Who may have a person's papers: only the municipality that holds the person. Every refused call writes no
 * event and no access-log row, and says nothing about whether the person exists.
 */
describe('documents: attacks', () => {
  let t: TestApp;
  let callers: Awaited<ReturnType<typeof standardCallers>>;
  let coupon = '';
  const counts = async () => {
    const { rows } = await t.runtime.pool.query<{ e: string; a: string }>('SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM access_log) AS a');
    return rows[0];
  };

  beforeAll(async () => {
    t = await createTestApp();
    callers = await standardCallers(t);
    coupon = (await register(t, 7, CHIYODA)).coupon;
    await recordDose(t, CHIYODA, coupon, 1, '2021-06-01', 'pfizer', 'FA1234');
  }, 60_000);
  afterAll(async () => t?.close());

  it('another municipality, a site, the ministry, an auditor and an admin get 403; no token 401; nothing written', async () => {
    const before = await counts();
    for (const kind of ['shc', 'record']) {
      const url = `/v1/recipients/${CHIYODA}/${coupon}/certificates/${kind}`;
      for (const [who, headers] of Object.entries({ yokohama: callers.yokohama, site: callers.site, ministry: callers.ministry, auditor: callers.auditor, admin: callers.admin })) {
        for (const accept of ['application/json', 'application/pdf']) {
          const r = await t.app.inject({ method: 'GET', url, headers: { ...headers, accept } });
          expect({ who, kind, status: r.statusCode, code: r.json().error.code }).toEqual({ who, kind, status: 403, code: 'FORBIDDEN' });
        }
      }
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
    // Another municipality asking for a coupon that does not exist there gets the same 403, not a 404.
    const unknown = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/9999999999/certificates/shc`, headers: callers.yokohama });
    expect(unknown.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('the own municipality: an unknown coupon is 404, a person without a valid dose 422, nothing written', async () => {
    const other = (await register(t, 8, CHIYODA)).coupon;
    const before = await counts();
    const missing = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/9999999999/certificates/shc`, headers: callers.chiyoda });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'RECIPIENT_NOT_FOUND']);
    const none = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${other}/certificates/shc`, headers: callers.chiyoda });
    expect([none.statusCode, none.json().error.code]).toEqual([422, 'NO_VALID_DOSES']);
    const bad = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/abc/certificates/record`, headers: callers.chiyoda });
    expect(bad.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('an erased person gets no certificate (their name is gone)', async () => {
    const erased = (await register(t, 9, CHIYODA)).coupon;
    await recordDose(t, CHIYODA, erased, 1, '2021-06-01', 'pfizer', 'FA1234');
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${erased}/personal-data`, headers: callers.admin, payload: { reason: '保存期間満了' } });
    expect(del.statusCode).toBeLessThan(300);
    const r = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${erased}/certificates/shc`, headers: callers.chiyoda });
    expect([r.statusCode, r.json().error.code]).toEqual([422, 'RECIPIENT_NOT_ACTIVE']);
  });

  it('予防接種済証: one page in Japanese with the fonts embedded, the valid doses, an event and an access-log row', async () => {
    const before = await counts();
    const r = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon}/certificates/record`, headers: callers.chiyoda });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/pdf/);
    const text = pdfText(r.rawPayload);
    for (const s of ['予防接種済証', '接種 太郎7', 'セッシュ タロウ', '1960-04-01', '2021-06-01', 'ファイザー', 'コミナティ筋注', 'FA1234', 'S001']) expect(text).toContain(s);
    expect((text.match(/\f/g) ?? []).length).toBe(1); // one page
    const fonts = pdfFonts(r.rawPayload).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/ yes yes yes /); // embedded, subset, with a Unicode map
    const after = await counts();
    expect([Number(after.e) - Number(before.e), Number(after.a) - Number(before.a)]).toEqual([1, 1]);
  });

  it('the verifier answers anyone, and the key set and CRL need no token', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/v1/certificates/verify', payload: { shc: 'shc:/00' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/crl/unknown-kid.json' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/crl/..%2F..%2Fkeys.json' })).statusCode).toBe(400);
  });

  it('fuzz: nothing sent to verify or to the coupon batches yields a 500', async () => {
    const digits = fc.stringMatching(/^[0-9]{0,400}$/);
    const jwsLike = fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map(([a, b, c]) => [a, b, c].join('.').replace(/[+/=]/g, '_'));
    const shc = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), digits.map((d) => `shc:/${d}`), jwsLike, jwsLike.map((j) => `shc:/${[...j].map((ch) => String(Math.max(0, ch.charCodeAt(0) - 45)).padStart(2, '0')).join('')}`));
    const vds = fc.oneof(fc.jsonValue(), fc.record({ data: fc.jsonValue(), sig: fc.record({ alg: fc.constantFrom('ES256', 'none'), cer: fc.base64String(), sigvl: fc.base64String() }) }), fc.string());
    const body = fc.oneof(shc.map((v) => ({ shc: v })), vds.map((v) => ({ vds: v })), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const r = await t.app.inject({ method: 'POST', url: '/v1/certificates/verify', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) ?? 'null' });
        expect(r.statusCode).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 19 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (criteria) => {
        const r = await t.app.inject({ method: 'POST', url: '/v1/coupons/batches', headers: { ...callers.chiyoda, 'content-type': 'application/json' }, payload: JSON.stringify({ criteria }) });
        expect(r.statusCode).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 19 },
    );
  }, 120_000);

  it('documents the endpoints in the OpenAPI description, and keeps personal data out of the logs', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json().paths)).toEqual(
      expect.arrayContaining(['/v1/recipients/{m}/{c}/certificates/shc', '/v1/recipients/{m}/{c}/certificates/vds', '/v1/certificates/verify', '/v1/coupons/batches', '/v1/coupons/batches/{id}/pdf', '/.well-known/jwks.json']),
    );
    expect(t.logs.join('')).not.toContain('接種 太郎');
  });
});
