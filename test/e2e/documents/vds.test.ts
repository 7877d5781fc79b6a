import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { standardCallers } from '../../support/callers.js';
import { CHIYODA } from '../../support/people.js';
import { selfSignedCertificate } from '../../../src/documents/index.js';
import { qrCodesInPdf, recordDose, register } from './support.js';

/** RFC 8785 for the shapes a VDS has (strings, integers, objects, arrays), written again here: keys sorted by UTF-16 units. */
const jcs = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(jcs).join(',')}]` : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`).join(',')}}` : JSON.stringify(v);

type Vds = { data: { hdr: Record<string, unknown>; msg: Record<string, unknown> }; sig: { alg: string; cer: string; sigvl: string } };

describe('ICAO VDS-NC over HTTP', () => {
  let t: TestApp;
  let callers: Awaited<ReturnType<typeof standardCallers>>;
  let coupon = '';
  const url = () => `/v1/recipients/${CHIYODA}/${coupon}/certificates/vds`;
  const verifyVds = (vds: unknown) => t.app.inject({ method: 'POST', url: '/v1/certificates/verify', payload: { vds } as object });

  beforeAll(async () => {
    t = await createTestApp();
    callers = await standardCallers(t);
    coupon = (await register(t, 11, CHIYODA)).coupon;
    await recordDose(t, CHIYODA, coupon, 1, '2021-06-01', 'pfizer', 'FA1234');
    await recordDose(t, CHIYODA, coupon, 2, '2021-06-22', 'pfizer', 'FA5678');
    await recordDose(t, CHIYODA, coupon, 3, '2022-01-10', 'moderna', '3001234');
  }, 60_000);
  afterAll(async () => t?.close());

  it('issues icao.vacc: hdr/msg/sig, ES256 over the canonical data, a certificate (parsed and checked by OpenSSL) carrying a published key', async () => {
    const r = await t.app.inject({ method: 'GET', url: url(), headers: callers.chiyoda });
    expect(r.statusCode).toBe(200);
    const vds = r.json() as Vds;
    expect(vds.data.hdr).toEqual({ t: 'icao.vacc', v: 1, is: 'JPN' });
    expect(vds.data.msg).toMatchObject({ pid: { n: '接種 太郎11', dob: '1960-04-01', sex: 'M' } });
    expect(String(vds.data.msg.uvci)).toMatch(/^[A-Z0-9]{1,12}$/);
    expect(vds.data.msg.ve).toEqual([
      { des: 'XM0GQ8', nam: 'Comirnaty', dis: 'RA01.0', vd: [{ dvc: '2021-06-01', seq: 1, ctr: 'JPN', adm: 'S001', lot: 'FA1234' }, { dvc: '2021-06-22', seq: 2, ctr: 'JPN', adm: 'S001', lot: 'FA5678' }] },
      { des: 'XM0GQ8', nam: 'Spikevax', dis: 'RA01.0', vd: [{ dvc: '2022-01-10', seq: 3, ctr: 'JPN', adm: 'S001', lot: '3001234' }] },
    ]);
    expect(vds.sig.alg).toBe('ES256');
    const cert = new X509Certificate(Buffer.from(vds.sig.cer, 'base64url'));
    expect(cert.verify(cert.publicKey)).toBe(true); // self-signed, signature checked by OpenSSL
    const jwk = cert.publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'sha256');
    const published = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys.map((k: { kid: string }) => k.kid);
    expect(published).toContain(kid);
    const ok = verify('sha256', Buffer.from(jcs(vds.data)), { key: cert.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(vds.sig.sigvl, 'base64url'));
    expect(ok).toBe(true);
    const history = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon}/history`, headers: callers.chiyoda })).json();
    expect(history.events.at(-1)).toMatchObject({ type: 'CertificateIssued', data: { kind: 'vds', keyId: kid, doseNumbers: [1, 2, 3] } });
  });

  it('the PDF QR (read by zbarimg) is the seal, and the verifier says valid; altered, re-signed or foreign seals are not', async () => {
    const pdf = await t.app.inject({ method: 'GET', url: url(), headers: { ...callers.chiyoda, accept: 'application/pdf' } });
    expect(pdf.statusCode).toBe(200);
    const [text] = qrCodesInPdf(pdf.rawPayload);
    const vds = JSON.parse(text) as Vds;
    expect(vds.data.hdr.t).toBe('icao.vacc');
    expect((await verifyVds(text)).json()).toMatchObject({ valid: true, summary: { patient: { name: '接種 太郎11' }, immunizations: [{ dose: 1 }, { dose: 2 }, { dose: 3 }] } });
    expect((await verifyVds(vds)).json()).toMatchObject({ valid: true });

    const altered = structuredClone(vds);
    (altered.data.msg.ve as { vd: { lot: string }[] }[])[0].vd[0].lot = 'FA0000';
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const foreignCert = selfSignedCertificate(stranger, { country: 'JP', commonName: 'not the issuer' }).toString('base64url');
    const foreign = { data: vds.data, sig: { alg: 'ES256', cer: foreignCert, sigvl: sign('sha256', Buffer.from(jcs(vds.data)), { key: stranger, dsaEncoding: 'ieee-p1363' }).toString('base64url') } };
    const cases: [unknown, string][] = [
      [altered, 'BAD_SIGNATURE'],
      [{ ...vds, sig: { ...vds.sig, sigvl: vds.sig.sigvl.slice(0, 20) } }, 'BAD_SIGNATURE'],
      [foreign, 'UNKNOWN_KEY'],
      [{ ...vds, sig: { ...vds.sig, cer: 'AAAA' } }, 'BAD_CERTIFICATE'],
      [{ ...vds, data: { ...vds.data, hdr: { t: 'icao.test', v: 1, is: 'JPN' } } }, 'BAD_PAYLOAD'],
      ['{"data":', 'BAD_PAYLOAD'],
      [{ data: 1, sig: 2 }, 'BAD_PAYLOAD'],
      [{ ...vds, sig: { ...vds.sig, alg: 'none' } }, 'BAD_PAYLOAD'],
    ];
    for (const [input, reason] of cases) {
      const r = await verifyVds(input);
      expect({ reason, status: r.statusCode, answer: r.json().reason }).toEqual({ reason, status: 200, answer: reason });
    }
    for (const bad of [5, null, ['x'], 'x'.repeat(30_000)]) expect((await verifyVds(bad)).statusCode).toBe(400);
  });

  it('another municipality and other roles get 403; nothing written', async () => {
    const before = (await t.runtime.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    for (const headers of [callers.yokohama, callers.site, callers.ministry, callers.auditor]) expect((await t.app.inject({ method: 'GET', url: url(), headers })).statusCode).toBe(403);
    expect((await t.runtime.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });
});
