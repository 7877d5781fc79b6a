import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519: the text, a blank line, then
 * `— <key name> base64(key ID ‖ signature)` lines. Key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4].
 */
export type NoteSigner = { name: string; publicKey: Buffer; keyId: Buffer; privateKey: KeyObject };
export type NoteVerifier = { name: string; publicKey: Buffer; keyId: Buffer };

const ED25519 = 0x01;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const EM_DASH = '\u2014';

export const noteKeyId = (name: string, publicKey: Buffer): Buffer =>
  createHash('sha256').update(name).update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4);

const validName = (name: string) => name.length > 0 && !/[\s+]/u.test(name);

export const signerFromSeed = (name: string, seed: Buffer): NoteSigner => {
  if (!validName(name)) throw new Error('a note key name must be non-empty, without spaces or "+"');
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x as string, 'base64url');
  return { name, publicKey, keyId: noteKeyId(name, publicKey), privateKey };
};

/** The verifier key as Go's note package writes it: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export const verifierKeyText = (v: NoteVerifier): string =>
  `${v.name}+${v.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), v.publicKey]).toString('base64')}`;

export const parseVerifierKey = (text: string): NoteVerifier | string => {
  // The base64 key may itself contain '+': only the first two separate fields.
  const m = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!m || !validName(m[1])) return 'a verifier key reads <name>+<key ID hex>+<base64 key>';
  const parts = m.slice(1);
  const raw = Buffer.from(parts[2], 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519) return 'the verifier key is not an Ed25519 key';
  const publicKey = raw.subarray(1);
  const keyId = noteKeyId(parts[0], publicKey);
  if (keyId.toString('hex') !== parts[1].toLowerCase()) return 'the verifier key ID does not match its name and key';
  return { name: parts[0], publicKey, keyId };
};

export const signNote = (text: string, signer: NoteSigner): string => {
  if (!text.endsWith('\n')) throw new Error('a note text ends with a newline');
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return `${text}\n${EM_DASH} ${signer.name} ${Buffer.concat([signer.keyId, signature]).toString('base64')}\n`;
};

export type OpenedNote = { ok: true; text: string } | { ok: false; why: string };

/** Splits a note and checks the signature of the one key trusted; signatures of other keys are ignored. */
export const openNote = (note: string, key: NoteVerifier): OpenedNote => {
  if (note.length > 1 << 16) return { ok: false, why: 'the note is too long' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) return { ok: false, why: 'the note has control characters' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, why: 'the note has no blank line before its signatures' };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return { ok: false, why: `a signature line is malformed: ${JSON.stringify(line.slice(0, 80))}` };
    const raw = Buffer.from(m[2], 'base64');
    if (m[1] !== key.name || raw.length < 4 || !raw.subarray(0, 4).equals(key.keyId)) continue;
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') }, format: 'jwk' });
    if (raw.length !== 68 || !verify(null, Buffer.from(text, 'utf8'), publicKey, raw.subarray(4))) {
      return { ok: false, why: `the signature of ${key.name} does not verify: the note was altered or signed by another key` };
    }
    verified = true;
  }
  return verified ? { ok: true, text } : { ok: false, why: `the note carries no signature of ${key.name} (key ID ${key.keyId.toString('hex')})` };
};
