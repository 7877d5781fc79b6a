import { randomInt, sign, verify, X509Certificate } from 'node:crypto';
import canonicalize from 'canonicalize';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { validDoses, type Maker, type RegisteredRecipient } from '../../domain/index.js';
import type { SigningKey } from '../keys/signingKeys.js';

/**
 * ICAO VDS-NC proof of vaccination (`icao.vacc` v1, the WHO data set): `data` = {hdr, msg}, signed ES256 over its
 * RFC 8785 canonical form; `sig` = {alg, cer: the barcode signer certificate (base64url DER), sigvl: r‖s base64url}.
 */
export const VDS_TYPE = 'icao.vacc';
/** ICD-11 extension codes (vaccine type) and product names, as the WHO data set asks. */
const VACCINES: Readonly<Record<Maker, { des: string; nam: string }>> = {
  pfizer: { des: 'XM0GQ8', nam: 'Comirnaty' }, // COVID-19 vaccine, RNA based
  moderna: { des: 'XM0GQ8', nam: 'Spikevax' },
  astrazeneca: { des: 'XM9QW8', nam: 'Vaxzevria' }, // non-replicating viral vector
  novavax: { des: 'XM5JC5', nam: 'Nuvaxovid' }, // virus protein subunit
};
const COVID19 = 'RA01.0';
const UVCI_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export type VdsNc = { data: { hdr: { t: string; v: number; is: string }; msg: Record<string, unknown> }; sig: { alg: 'ES256'; cer: string; sigvl: string } };

/** A unique vaccination certificate identifier: at most 12 characters (the spec's limit). */
export const newUvci = () => `JP${Array.from({ length: 10 }, () => UVCI_ALPHABET[randomInt(UVCI_ALPHABET.length)]).join('')}`;

export const vdsDataOf = (state: RegisteredRecipient, uvci: string) => {
  const person = state.person!;
  const byProduct = new Map<Maker, { dvc: string; seq: number; ctr: string; adm: string; lot: string }[]>();
  for (const d of validDoses(state)) {
    const list = byProduct.get(d.vaccine.maker) ?? [];
    list.push({ dvc: d.date, seq: d.doseNumber, ctr: 'JPN', adm: d.siteCode.slice(0, 20), lot: d.vaccine.lot.slice(0, 20) });
    byProduct.set(d.vaccine.maker, list);
  }
  return {
    hdr: { t: VDS_TYPE, v: 1, is: 'JPN' },
    msg: {
      uvci,
      pid: { n: person.name.slice(0, 39), dob: person.birthDate, ...(state.sex !== 'U' ? { sex: state.sex } : {}) },
      ve: [...byProduct].map(([maker, vd]) => ({ ...VACCINES[maker], dis: COVID19, vd })),
    },
  };
};

export const signVds = (data: VdsNc['data'], key: SigningKey, certificate: Buffer): VdsNc => ({
  data,
  sig: {
    alg: 'ES256',
    cer: certificate.toString('base64url'),
    sigvl: sign('sha256', Buffer.from(canonicalize(data)!, 'utf8'), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
  },
});

export type VdsFailure = 'BAD_PAYLOAD' | 'BAD_CERTIFICATE' | 'UNKNOWN_KEY' | 'EXPIRED' | 'BAD_SIGNATURE';
export type VdsSummary = { issuer: string; uvci: string; keyId: string; patient: { name: string; birthDate: string | null }; immunizations: { date: string; dose: number; vaccine: string; product: string; lot: string; country: string }[] };
export type VdsAnswer = { valid: true; summary: VdsSummary } | { valid: false; reason: VdsFailure; message: string; summary: null };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (reason: VdsFailure, message: string): VdsAnswer => ({ valid: false, reason, message, summary: null });

/**
 * Verifies a VDS-NC (the JSON object, or its text as read from the QR): the barcode signer certificate must carry
 * one of the trusted keys (by RFC 7638 thumbprint) and be within its validity, and its key must verify the
 * signature over the canonical `data`.
 */
export const verifyVds = async (input: unknown, trustedKids: Set<string>, now = new Date()): Promise<VdsAnswer> => {
  try {
    return await check(input, trustedKids, now);
  } catch {
    // A certificate OpenSSL parses but cannot use (an odd curve, a broken point): an answer, never a 500.
    return fail('BAD_CERTIFICATE', 'vds: the signer certificate cannot be used');
  }
};

const check = async (input: unknown, trustedKids: Set<string>, now: Date): Promise<VdsAnswer> => {
  let vds: unknown = input;
  if (typeof input === 'string') {
    try {
      vds = JSON.parse(input);
    } catch {
      return fail('BAD_PAYLOAD', 'vds: not JSON');
    }
  }
  if (!isObj(vds) || !isObj(vds.data) || !isObj(vds.sig)) return fail('BAD_PAYLOAD', 'vds: must be an object with data and sig');
  const { data, sig } = vds;
  const hdr = isObj(data.hdr) ? data.hdr : {};
  const msg = isObj(data.msg) ? data.msg : null;
  if (hdr.t !== VDS_TYPE || hdr.v !== 1 || !msg) return fail('BAD_PAYLOAD', 'vds: data.hdr must be type icao.vacc version 1, with data.msg');
  if (sig.alg !== 'ES256' || typeof sig.cer !== 'string' || typeof sig.sigvl !== 'string' || !/^[A-Za-z0-9_-]+$/.test(sig.cer) || !/^[A-Za-z0-9_-]+$/.test(sig.sigvl))
    return fail('BAD_PAYLOAD', 'vds: sig must have alg ES256, cer and sigvl (base64url)');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(sig.cer, 'base64url'));
  } catch {
    return fail('BAD_CERTIFICATE', 'vds: sig.cer is not an X.509 certificate');
  }
  const jwk = cert.publicKey.export({ format: 'jwk' }) as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return fail('UNKNOWN_KEY', 'vds: the certificate key is not a P-256 key of this issuer');
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'sha256');
  if (!trustedKids.has(kid)) return fail('UNKNOWN_KEY', 'vds: signed by a certificate of no trusted issuer');
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return fail('EXPIRED', 'vds: the signer certificate is not valid now');
  const canonical = canonicalize(data);
  const signature = Buffer.from(sig.sigvl, 'base64url');
  const ok = canonical !== undefined && signature.length === 64 && verify('sha256', Buffer.from(canonical, 'utf8'), { key: cert.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) return fail('BAD_SIGNATURE', "vds: the signature does not verify with the certificate's key");
  const pid = isObj(msg.pid) ? msg.pid : {};
  const ve = Array.isArray(msg.ve) ? msg.ve.filter(isObj) : [];
  return {
    valid: true,
    summary: {
      issuer: String(hdr.is ?? ''),
      uvci: String(msg.uvci ?? ''),
      keyId: kid,
      patient: { name: String(pid.n ?? ''), birthDate: typeof pid.dob === 'string' ? pid.dob : null },
      immunizations: ve.flatMap((v) =>
        (Array.isArray(v.vd) ? v.vd.filter(isObj) : []).map((d) => ({ date: String(d.dvc ?? ''), dose: Number(d.seq), vaccine: String(v.des ?? ''), product: String(v.nam ?? ''), lot: String(d.lot ?? ''), country: String(d.ctr ?? '') })),
      ),
    },
  };
};
