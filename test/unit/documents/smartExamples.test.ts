import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { CompactSign, importJWK, type JWK } from 'jose';
import { isRevoked, ridOf, verifyHealthCard, toShcNumeric, fromShcNumeric, type Crl, type TrustedIssuer } from '../../../src/documents/index.js';

// The specification's published example issuer, keys, CRL and bundles (test/fixtures/shc/README.md).
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/shc/${name}`, import.meta.url), 'utf8'));
const ISS = 'https://spec.smarthealth.cards/examples/issuer';
const publicJwks = fixture('example-issuer-jwks.json') as { keys: (JWK & { kid: string; crlVersion?: number })[] };
const privateJwks = fixture('example-issuer-private-jwks.json') as { keys: (JWK & { kid: string })[] };
const hmac = fixture('example-issuer-hmac.json') as { secret: string };
const crl = fixture('example-issuer-crl.json') as Crl;
const REVOCATION_KID = '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s';
const X5C_KID = 'EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw';

/** The spec's example generator, step by step, with jose (not our signer): trim nothing the fixture lacks, deflate, sign. */
const exampleCard = async (bundle: object, kid: string, extra: { nbf: number; rid?: string }) => {
  const key = await importJWK(privateJwks.keys.find((k) => k.kid === kid)!, 'ES256');
  const { id: _id, ...trimmed } = bundle as Record<string, unknown>;
  const payload = {
    iss: ISS,
    nbf: extra.nbf,
    vc: { type: ['https://smarthealth.cards#health-card'], credentialSubject: { fhirVersion: '4.0.1', fhirBundle: trimmed }, ...(extra.rid ? { rid: extra.rid } : {}) },
  };
  return new CompactSign(deflateRawSync(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', zip: 'DEF', kid }).sign(key);
};

const trusted = (): TrustedIssuer[] => [{ iss: ISS, keys: publicJwks.keys, crl: (kid) => (kid === crl.kid ? crl : null) }];

describe('SMART Health Cards: the published example issuer', () => {
  it("our rid function gives the published CRL's revocation ids for the example users", () => {
    // generate-examples revokes 'userid-03' and three fake users with the published secret.
    const rids = ['userid-03', 'fake-userid-1', 'fake-userid-2', 'fake-userid-3'].map((u) => ridOf(hmac.secret, REVOCATION_KID, u));
    expect(crl.rids.map((r) => r.split('.')[0])).toEqual(rids);
  });

  it('verifies the example card (three COVID-19 doses) with the published keys, from its shc:/ form too', async () => {
    for (const kid of [REVOCATION_KID, X5C_KID]) {
      const jws = await exampleCard(fixture('covid-vaccines-bundle.json'), kid, { nbf: 1_700_000_000 });
      const answer = await verifyHealthCard(toShcNumeric(jws), trusted());
      expect(answer).toMatchObject({ valid: true, summary: { issuer: ISS, keyId: kid, patient: { name: 'Anyperson John B.', birthDate: '1951-01-20' } } });
      if (!answer.valid) throw new Error('unreachable');
      expect(answer.summary.immunizations.map((i) => [i.cvx, i.date, i.lot])).toEqual([
        ['207', '2021-01-01', '0000001'],
        ['207', '2021-01-29', '0000007'],
        ['229', '2022-09-05', '0000001'],
      ]);
    }
  });

  it('the revoked example (userid-03, rid with a timestamp) is revoked before that time and not after', async () => {
    const rid = ridOf(hmac.secret, REVOCATION_KID, 'userid-03');
    const [, t] = crl.rids.find((r) => r.startsWith(rid))!.split('.');
    const before = await exampleCard(fixture('revoked-bundle.json'), REVOCATION_KID, { nbf: Number(t) - 60, rid });
    const after = await exampleCard(fixture('revoked-bundle.json'), REVOCATION_KID, { nbf: Number(t) + 60, rid });
    expect(await verifyHealthCard(before, trusted())).toMatchObject({ valid: false, reason: 'REVOKED' });
    expect(await verifyHealthCard(after, trusted())).toMatchObject({ valid: true });
    // A rid listed without a timestamp revokes every card.
    expect(isRevoked(crl, ridOf(hmac.secret, REVOCATION_KID, 'fake-userid-1'), 4_000_000_000)).toBe(true);
  });

  it('refuses the example card under another issuer name, and one from an issuer it does not trust', async () => {
    const jws = await exampleCard(fixture('covid-vaccines-bundle.json'), REVOCATION_KID, { nbf: 1_700_000_000 });
    expect(await verifyHealthCard(jws, [{ ...trusted()[0], iss: 'https://elsewhere.example' }])).toMatchObject({ valid: false, reason: 'ISSUER_MISMATCH' });
    expect(await verifyHealthCard(jws, [])).toMatchObject({ valid: false, reason: 'UNKNOWN_KEY' });
  });

  it('numeric QR content: the spec example prefix decodes to a JWS header, bad digit strings are refused', () => {
    // "shc:/5676290952432060346029243740446031222959532654603460292540772804336028702864716745..." is the spec's example.
    const decoded = fromShcNumeric('shc:/567629095243206034602924374044603122295953265460346029254077280433602870286471674522280928613331456437653141590640220306450459085643550341424541364037063665417137241236380304375622046737407532323925433443326057360106452931531270742428395038692212766751733961396721');
    expect(decoded.ok && decoded.jws.startsWith('eyJ')).toBe(true);
    expect(fromShcNumeric('shc:/1/2/5676')).toMatchObject({ ok: false, reason: 'CHUNKED' });
    expect(fromShcNumeric('shc:/567')).toMatchObject({ ok: false, reason: 'BAD_DIGITS' });
    expect(fromShcNumeric('shc:/99')).toMatchObject({ ok: false, reason: 'BAD_DIGITS' });
    expect(fromShcNumeric('https://example.com')).toMatchObject({ ok: false, reason: 'NOT_SHC' });
  });
});
