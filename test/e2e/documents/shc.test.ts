import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync, deflateRawSync } from 'node:zlib';
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, CompactSign, importJWK, generateKeyPair, type JWK } from 'jose';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { standardCallers } from '../../support/callers.js';
import { CHIYODA } from '../../support/people.js';
import { qrCodesInPdf, recordDose, register } from './support.js';

/** The spec's numeric decoding, written again here rather than imported: a second reading of the QR content. */
const jwsOf = (shc: string) =>
  shc
    .slice('shc:/'.length)
    .match(/../g)!
    .map((p) => String.fromCharCode(Number(p) + 45))
    .join('');
const shcOf = (jws: string) => `shc:/${[...jws].map((c) => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('')}`;

type Jwks = { keys: (JWK & { kid: string; crlVersion: number })[] };

describe('SMART Health Card over HTTP', () => {
  let t: TestApp;
  let callers: Awaited<ReturnType<typeof standardCallers>>;
  const who = { coupon: '' };
  const url = () => `/v1/recipients/${CHIYODA}/${who.coupon}/certificates/shc`;
  const issue = async (accept = 'application/json') => t.app.inject({ method: 'GET', url: url(), headers: { ...callers.chiyoda, accept } });
  const verify = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/certificates/verify', payload: payload as object });
  const jwks = async () => (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as Jwks;
  const eventCount = async () => Number((await t.runtime.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);

  beforeAll(async () => {
    t = await createTestApp({ env: { VRS_ISSUER_URL: 'https://vrs.example.jp' } });
    callers = await standardCallers(t);
    const p = await register(t, 1, CHIYODA);
    who.coupon = p.coupon;
    await recordDose(t, CHIYODA, p.coupon, 1, '2021-06-01', 'pfizer', 'FA1234');
    await recordDose(t, CHIYODA, p.coupon, 2, '2021-06-22', 'pfizer', 'FA5678');
    await recordDose(t, CHIYODA, p.coupon, 3, '2022-01-10', 'moderna', '3001234');
    // Dose 2 was typed with the wrong lot: the card must show the corrected one.
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/recipients/${CHIYODA}/${p.coupon}/vaccinations/2/corrections`,
      headers: callers.chiyoda,
      payload: { changes: { vaccine: { lot: 'FA9999' } }, reason: '入力誤り' },
    });
    expect(r.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => t?.close());

  it('publishes its keys with open CORS, kid = RFC 7638 thumbprint, no private part', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const { keys } = r.json() as Jwks;
    expect(keys.length).toBe(1);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });
      expect(k).not.toHaveProperty('d');
      expect(k.kid).toBe(await calculateJwkThumbprint({ kty: k.kty, crv: k.crv, x: k.x, y: k.y }, 'sha256'));
    }
  });

  it('issues a card that jose verifies with the published key set; the payload is the spec shape with valid doses only', async () => {
    const r = await issue();
    expect(r.statusCode).toBe(200);
    const { shc } = r.json() as { shc: string };
    expect(shc).toMatch(/^shc:\/\d+$/);
    const jws = jwsOf(shc);
    expect(jws.length).toBeLessThanOrEqual(1195); // one QR, no chunking
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(await jwks()));
    expect(protectedHeader).toEqual({ alg: 'ES256', zip: 'DEF', kid: (await jwks()).keys[0].kid });
    const text = inflateRawSync(payload).toString('utf8');
    expect(text).toBe(JSON.stringify(JSON.parse(text))); // minified
    const card = JSON.parse(text);
    expect(card.iss).toBe('https://vrs.example.jp');
    expect(Math.abs(card.nbf - Date.now() / 1000)).toBeLessThan(600);
    expect(card.vc.type).toContain('https://smarthealth.cards#health-card');
    expect(card.vc.rid).toMatch(/^[A-Za-z0-9_-]{1,24}$/);
    expect(card.vc.credentialSubject.fhirVersion).toBe('4.0.1');
    const entries = card.vc.credentialSubject.fhirBundle.entry;
    expect(entries[0]).toEqual({ fullUrl: 'resource:0', resource: { resourceType: 'Patient', name: [{ family: '接種', given: ['太郎1'] }], birthDate: '1960-04-01' } });
    expect(entries.slice(1).map((e: { fullUrl: string; resource: Record<string, unknown> }) => e.resource)).toEqual([
      { resourceType: 'Immunization', status: 'completed', vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '208' }] }, patient: { reference: 'resource:0' }, occurrenceDateTime: '2021-06-01', performer: [{ actor: { display: 'S001' } }], lotNumber: 'FA1234' },
      { resourceType: 'Immunization', status: 'completed', vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '208' }] }, patient: { reference: 'resource:0' }, occurrenceDateTime: '2021-06-22', performer: [{ actor: { display: 'S001' } }], lotNumber: 'FA9999' },
      { resourceType: 'Immunization', status: 'completed', vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '207' }] }, patient: { reference: 'resource:0' }, occurrenceDateTime: '2022-01-10', performer: [{ actor: { display: 'S001' } }], lotNumber: '3001234' },
    ]);
    expect(JSON.stringify(card)).not.toMatch(/"(id|meta|text|display)":(?!"S001")/);
  });

  it('every issue is a CertificateIssued event (kind, key id) and an access-log entry; a reprint is a second one', async () => {
    const before = await eventCount();
    await issue();
    await issue();
    expect(await eventCount()).toBe(before + 2);
    const history = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${who.coupon}/history`, headers: callers.chiyoda })).json();
    const issued = history.events.filter((e: { type: string }) => e.type === 'CertificateIssued');
    expect(issued.length).toBeGreaterThanOrEqual(3);
    expect(issued[issued.length - 1].data).toMatchObject({ kind: 'shc', keyId: (await jwks()).keys[0].kid, doseNumbers: [1, 2, 3] });
    expect(issued[issued.length - 1].actor).toMatchObject({ role: 'municipality', sub: 'clerk-chiyoda' });
    const log = await t.runtime.pool.query(`SELECT actor_sub FROM access_log WHERE endpoint = 'GET /v1/recipients/{m}/{c}/certificates/shc'`);
    expect(log.rows.length).toBeGreaterThanOrEqual(3);
    expect(log.rows.every((row) => row.actor_sub === 'clerk-chiyoda')).toBe(true);
  });

  it('the PDF carries the card as a QR that an independent decoder (zbarimg) reads back to a valid card', async () => {
    const r = await issue('application/pdf');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/pdf/);
    const body = r.rawPayload;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const codes = qrCodesInPdf(body);
    expect(codes.length).toBe(1);
    expect(codes[0]).toMatch(/^shc:\/\d+$/);
    expect((await verify({ shc: codes[0] })).json()).toMatchObject({ valid: true, summary: { issuer: 'https://vrs.example.jp' } });
  });

  it('the verifier says valid with what the card says, and why not for each kind of bad card (never a 500)', async () => {
    const { shc } = (await issue()).json() as { shc: string };
    const ok = await verify({ shc });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ valid: true, summary: { patient: { name: '接種 太郎1', birthDate: '1960-04-01' } } });
    expect(ok.json().summary.immunizations.map((i: { maker: string; lot: string }) => [i.maker, i.lot])).toEqual([['pfizer', 'FA1234'], ['pfizer', 'FA9999'], ['moderna', '3001234']]);

    const jws = jwsOf(shc);
    const [h, p, s] = jws.split('.');
    // Altered payload: a different (validly deflated) body under the same signature.
    const forged = deflateRawSync(Buffer.from(inflateRawSync(Buffer.from(p, 'base64url')).toString().replace('FA1234', 'FA0000'))).toString('base64url');
    // Signed by a key this issuer never had, under its kid (wrong key) and under its own kid (unknown key).
    const stranger = await generateKeyPair('ES256');
    const kid = (await jwks()).keys[0].kid;
    const wrongKey = await new CompactSign(Buffer.from(p, 'base64url')).setProtectedHeader({ alg: 'ES256', zip: 'DEF', kid }).sign(stranger.privateKey);
    const unknownKey = await new CompactSign(Buffer.from(p, 'base64url')).setProtectedHeader({ alg: 'ES256', zip: 'DEF', kid: 'someone-else' }).sign(stranger.privateKey);
    // A deflate bomb signed with the issuer's own key (read from its key file): refused after verification, bounded.
    const own = await importJWK(JSON.parse(readFileSync(join(t.dataDir, 'keys', 'certificates', 'signing.jwk'), 'utf8')), 'ES256');
    const bomb = await new CompactSign(deflateRawSync(Buffer.alloc(2 * 1024 * 1024, 0x20))).setProtectedHeader({ alg: 'ES256', zip: 'DEF', kid }).sign(own);
    const cases: [unknown, string][] = [
      [shc.slice(0, shc.length - 40), 'BAD_SIGNATURE'],
      [shc.slice(0, shc.length - 1), 'BAD_DIGITS'],
      [shcOf(`${h}.${forged}.${s}`), 'BAD_SIGNATURE'],
      [shcOf(wrongKey), 'BAD_SIGNATURE'],
      [shcOf(unknownKey), 'UNKNOWN_KEY'],
      [shcOf(bomb), 'BAD_PAYLOAD'],
      [shcOf(`${h}.${p}`), 'MALFORMED_JWS'],
      ['https://example.com/not-a-card', 'NOT_SHC'],
      ['', 'NOT_SHC'],
      ['shc:/1/2/567629', 'CHUNKED'],
      ['shc:/9999', 'BAD_DIGITS'],
      [shcOf(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.${s}`), 'UNSUPPORTED_HEADER'],
      [shcOf(`e30.${p}.${s}`), 'UNSUPPORTED_HEADER'],
      [shcOf(`!!!.${p}.${s}`), 'BAD_DIGITS'],
    ];
    for (const [input, reason] of cases) {
      const r = await verify({ shc: input });
      expect({ input: String(input).slice(0, 30), status: r.statusCode, reason: r.json().reason, valid: r.json().valid }).toEqual({ input: String(input).slice(0, 30), status: 200, reason, valid: false });
    }
  });

  it('shape errors are 400 with a field, a huge body 413, never a 500', async () => {
    const shapes = [{}, { shc: 5 }, { shc: 'shc:/00', vds: {} }, { shc: `shc:/${'5'.repeat(8000)}` }, { other: 1 }, []];
    for (const payload of shapes) {
      const r = await verify(payload);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('INVALID_REQUEST');
    }
    const huge = await t.app.inject({ method: 'POST', url: '/v1/certificates/verify', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ shc: 'x'.repeat(200_000) }) });
    expect(huge.statusCode).toBe(413);
    const notJson = await t.app.inject({ method: 'POST', url: '/v1/certificates/verify', headers: { 'content-type': 'application/json' }, payload: '{"shc":' });
    expect(notJson.statusCode).toBe(400);
  });

  it('a dose voided after a card was issued revokes that card (rid + CRL); a card issued afterwards is valid without it', async () => {
    const { shc: old } = (await issue()).json() as { shc: string };
    const oldRid = JSON.parse(inflateRawSync(Buffer.from(jwsOf(old).split('.')[1], 'base64url')).toString()).vc.rid as string;
    const kid = (await jwks()).keys[0].kid;
    expect((await jwks()).keys[0].crlVersion).toBe(0); // the correction in beforeAll came before any card: counts nothing
    await new Promise((r) => setTimeout(r, 1100)); // the CRL's timestamps are whole seconds
    const v = await t.app.inject({ method: 'POST', url: `/v1/recipients/${CHIYODA}/${who.coupon}/vaccinations/3/void`, headers: callers.chiyoda, payload: { reason: '別人に記録' } });
    expect(v.statusCode).toBe(201);
    const crl = (await t.app.inject({ method: 'GET', url: `/.well-known/crl/${kid}.json` })).json();
    expect(crl).toMatchObject({ kid, method: 'rid' });
    expect(crl.rids).toEqual([expect.stringMatching(new RegExp(`^${oldRid}\\.\\d+$`))]);
    expect((await jwks()).keys[0].crlVersion).toBeGreaterThan(0);
    expect((await verify({ shc: old })).json()).toMatchObject({ valid: false, reason: 'REVOKED' });
    await new Promise((r) => setTimeout(r, 1100));
    const { shc: fresh } = (await issue()).json() as { shc: string };
    const answer = (await verify({ shc: fresh })).json();
    expect(answer.valid).toBe(true);
    expect(answer.summary.immunizations.length).toBe(2);
  });
});
