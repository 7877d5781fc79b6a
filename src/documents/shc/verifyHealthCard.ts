import { inflateRawSync } from 'node:zlib';
import { compactVerify, importJWK, type JWK } from 'jose';
import { makerByCvx, CVX_SYSTEM } from './cvx.js';
import { fromShcNumeric } from './numericQr.js';
import { HEALTH_CARD_TYPE } from './signHealthCard.js';

/** A SMART revocation list (`/.well-known/crl/<kid>.json`). */
export type Crl = { kid: string; method: 'rid'; ctr: number; rids: string[] };
/** An issuer the verifier trusts: its `iss`, its published keys, and each key's revocation list where it has one. */
export type TrustedIssuer = { iss: string; keys: (JWK & { kid?: string; crlVersion?: number })[]; crl?: (kid: string) => Promise<Crl | null> | Crl | null };

export type VerifyFailure =
  | 'NOT_SHC'
  | 'CHUNKED'
  | 'BAD_DIGITS'
  | 'MALFORMED_JWS'
  | 'UNSUPPORTED_HEADER'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'BAD_PAYLOAD'
  | 'ISSUER_MISMATCH'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'REVOKED';

export type ShcSummary = {
  issuer: string;
  issuedAt: string;
  keyId: string;
  patient: { name: string; birthDate: string | null };
  immunizations: { date: string; cvx: string; maker: string | null; lot: string | null; performer: string | null }[];
};
export type VerifyAnswer = { valid: true; summary: ShcSummary } | { valid: false; reason: VerifyFailure; message: string; summary: ShcSummary | null };

/** A card inflates to a few kB; anything past this is refused before it fills memory (a deflate bomb). */
const MAX_INFLATED = 64 * 1024;
/** Clocks differ: a card signed seconds ago on another machine is not "from the future". */
const SKEW_SECONDS = 300;

const fail = (reason: VerifyFailure, message: string, summary: ShcSummary | null = null): VerifyAnswer => ({ valid: false, reason, message, summary });

const b64json = (part: string): unknown => {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new Error('not base64url');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

const summarize = (payload: Obj, kid: string): ShcSummary | null => {
  const vc = isObj(payload.vc) ? payload.vc : null;
  const subject = vc && isObj(vc.credentialSubject) ? vc.credentialSubject : null;
  const bundle = subject && isObj(subject.fhirBundle) ? subject.fhirBundle : null;
  if (!bundle || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry) || typeof payload.iss !== 'string' || typeof payload.nbf !== 'number')
    return null;
  const resources = bundle.entry.map((e) => (isObj(e) && isObj(e.resource) ? e.resource : {}));
  const patient = resources.find((r) => r.resourceType === 'Patient');
  const names = patient && Array.isArray(patient.name) ? patient.name.filter(isObj) : [];
  const name = names[0] ? [str(names[0].family), ...(Array.isArray(names[0].given) ? names[0].given.map(str) : [])].filter(Boolean).join(' ') : '';
  return {
    issuer: payload.iss,
    issuedAt: new Date(payload.nbf * 1000).toISOString(),
    keyId: kid,
    patient: { name, birthDate: patient ? str(patient.birthDate) : null },
    immunizations: resources
      .filter((r) => r.resourceType === 'Immunization')
      .map((r) => {
        const coding = isObj(r.vaccineCode) && Array.isArray(r.vaccineCode.coding) ? r.vaccineCode.coding.filter(isObj) : [];
        const cvx = str(coding.find((c) => c.system === CVX_SYSTEM)?.code) ?? '';
        const performer = Array.isArray(r.performer) && isObj(r.performer[0]) && isObj(r.performer[0].actor) ? str(r.performer[0].actor.display) : null;
        return { date: str(r.occurrenceDateTime) ?? '', cvx, maker: makerByCvx[cvx] ?? null, lot: str(r.lotNumber), performer };
      }),
  };
};

/** Is `rid` on the list for a card issued at `nbf`? (`rid.T` revokes cards issued before T.) */
export const isRevoked = (crl: Crl, rid: string, nbf: number) =>
  crl.rids.some((entry) => {
    const [id, t] = entry.split('.');
    return id === rid && (t === undefined || nbf < Number(t));
  });

/**
 * Verifies a `shc:/` QR string or a bare JWS against trusted issuers: the signature first (by `kid`), then the
 * inflated payload (bounded), its issuer, times, type, and the key's revocation list. Every failure is an
 * answer with a reason, never an exception.
 */
export const verifyHealthCard = async (input: string, issuers: TrustedIssuer[], now = new Date()): Promise<VerifyAnswer> => {
  let jws = input.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) {
    const decoded = fromShcNumeric(jws);
    if (!decoded.ok) return fail(decoded.reason, decoded.message);
    jws = decoded.jws;
  }
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return fail('MALFORMED_JWS', 'shc: not a compact JWS (three base64url parts)');
  let header: Obj;
  try {
    const h = b64json(parts[0]);
    if (!isObj(h)) throw new Error('not an object');
    header = h;
  } catch {
    return fail('MALFORMED_JWS', 'shc: the JWS header is not base64url JSON');
  }
  if (header.alg !== 'ES256' || header.zip !== 'DEF' || typeof header.kid !== 'string')
    return fail('UNSUPPORTED_HEADER', 'shc: the header must have alg "ES256", zip "DEF" and a kid');
  const kid = header.kid;
  const issuer = issuers.find((i) => i.keys.some((k) => k.kid === kid));
  const jwk = issuer?.keys.find((k) => k.kid === kid);
  if (!issuer || !jwk) return fail('UNKNOWN_KEY', 'shc: signed with a key of no trusted issuer');
  let compressed: Uint8Array;
  try {
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256');
    ({ payload: compressed } = await compactVerify(jws, key, { algorithms: ['ES256'] }));
  } catch {
    return fail('BAD_SIGNATURE', "shc: the signature does not verify with the issuer's key");
  }
  let payload: Obj;
  try {
    const json = inflateRawSync(compressed, { maxOutputLength: MAX_INFLATED }).toString('utf8');
    const p = JSON.parse(json);
    if (!isObj(p)) throw new Error('not an object');
    payload = p;
  } catch {
    return fail('BAD_PAYLOAD', 'shc: the payload is not raw-DEFLATE JSON of a bounded size');
  }
  const summary = summarize(payload, kid);
  const vc = isObj(payload.vc) ? payload.vc : {};
  if (!summary || !Array.isArray(vc.type) || !vc.type.includes(HEALTH_CARD_TYPE))
    return fail('BAD_PAYLOAD', 'shc: the payload is not a health card (iss, nbf, vc.type, vc.credentialSubject.fhirBundle)');
  if (payload.iss !== issuer.iss) return fail('ISSUER_MISMATCH', 'shc: iss does not name the issuer whose key signed it', summary);
  const nowSeconds = now.getTime() / 1000;
  const nbf = payload.nbf as number;
  if (nbf > nowSeconds + SKEW_SECONDS) return fail('NOT_YET_VALID', 'shc: nbf is in the future', summary);
  if (typeof payload.exp === 'number' && payload.exp < nowSeconds) return fail('EXPIRED', 'shc: exp has passed', summary);
  if (typeof jwk.crlVersion === 'number' && typeof vc.rid === 'string' && issuer.crl) {
    const crl = await issuer.crl(kid);
    if (crl && isRevoked(crl, vc.rid, nbf)) return fail('REVOKED', 'shc: the issuer has revoked this card', summary);
  }
  return { valid: true, summary };
};
