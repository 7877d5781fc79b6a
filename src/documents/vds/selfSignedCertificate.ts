import { createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';

// Just enough DER to write one self-signed X.509 v3 certificate (node:crypto parses certificates but makes none).
const len = (n: number) => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
};
const integer = (bytes: Buffer) => tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const utcTime = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));
const name = (country: string, common: string) =>
  seq(set(seq(oid('2.5.4.6'), tlv(0x13, Buffer.from(country)))), set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(common, 'utf8')))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/**
 * The barcode signer certificate (VDS-NC `cer`) of a P-256 key: self-signed, ecdsa-with-SHA256, valid from
 * `from` for `years`. A national CSCA would sign it in production; the verifier here trusts it by its key.
 */
export const selfSignedCertificate = (privateKey: KeyObject, subject: { country: string; commonName: string }, from = new Date(), years = 10): Buffer => {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const until = new Date(from);
  until.setUTCFullYear(until.getUTCFullYear() + years);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const dn = name(subject.country, subject.commonName);
  const tbs = seq(tlv(0xa0, integer(Buffer.from([2]))), integer(serial), ECDSA_SHA256, dn, seq(utcTime(from), utcTime(until)), dn, spki);
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value, as X.509 wants
  return seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
};
