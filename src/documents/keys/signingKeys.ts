import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** A published issuer key as SMART Health Cards require it (no `d`). */
export type PublicJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; use: 'sig'; alg: 'ES256' };
export type SigningKey = { kid: string; privateKey: KeyObject; publicJwk: PublicJwk };
/** The key certificates are signed with now, and every public key ever used (rotation keeps them published). */
export type KeyRing = { current: SigningKey; published: PublicJwk[] };

export class SigningKeyError extends Error {
  readonly code = 'CONFIG_INVALID';
}

const dirOf = (dataDir: string) => join(dataDir, 'keys', 'certificates');
const SIGNING = 'signing.jwk';
const RETIRED = 'retired.json';

const publicOf = async (key: KeyObject): Promise<PublicJwk> => {
  const { x, y, crv, kty } = createPublicKey(key).export({ format: 'jwk' }) as JWK;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new SigningKeyError('certificate signing key: must be an EC P-256 key');
  const kid = await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
  return { kty: 'EC', crv: 'P-256', x, y, kid, use: 'sig', alg: 'ES256' };
};

const signingKeyOf = async (privateJwk: JWK): Promise<SigningKey> => {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    throw new SigningKeyError('certificate signing key: not a private JWK');
  }
  const publicJwk = await publicOf(privateKey);
  return { kid: publicJwk.kid, privateKey, publicJwk };
};

const newPrivateJwk = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;

const readJson = async <T>(path: string): Promise<T | null> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

/**
 * The signing key from configuration (`VRS_CERT_SIGNING_KEY`, a private JWK), else `<dataDir>/keys/certificates/
 * signing.jwk`, created (mode 0600) on first start. Retired public keys stay published from `retired.json`.
 */
export const loadKeyRing = async (dataDir: string, configured?: string): Promise<KeyRing> => {
  const dir = dirOf(dataDir);
  let privateJwk: JWK;
  if (configured) {
    try {
      privateJwk = JSON.parse(configured) as JWK;
    } catch {
      throw new SigningKeyError('VRS_CERT_SIGNING_KEY: must be a private JWK (JSON)');
    }
  } else {
    const stored = await readJson<JWK>(join(dir, SIGNING));
    if (stored) privateJwk = stored;
    else {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // 'wx': two processes starting at once keep one key.
      await writeFile(join(dir, SIGNING), JSON.stringify(newPrivateJwk()), { mode: 0o600, flag: 'wx' }).catch((e) => {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      });
      privateJwk = (await readJson<JWK>(join(dir, SIGNING)))!;
    }
  }
  const current = await signingKeyOf(privateJwk);
  const retired = (await readJson<PublicJwk[]>(join(dir, RETIRED))) ?? [];
  return { current, published: [current.publicJwk, ...retired.filter((k) => k.kid !== current.kid)] };
};

/**
 * A new signing key; the old public key moves to `retired.json` so certificates it signed still verify. The
 * old private key is overwritten (the spec: retired private keys are destroyed). A running server picks the
 * new key up at its next start.
 */
export const rotateSigningKey = async (dataDir: string): Promise<{ retired: string; current: string }> => {
  const dir = dirOf(dataDir);
  const old = await loadKeyRing(dataDir);
  const retired = (await readJson<PublicJwk[]>(join(dir, RETIRED))) ?? [];
  await writeFile(join(dir, `${RETIRED}.tmp`), JSON.stringify([old.current.publicJwk, ...retired.filter((k) => k.kid !== old.current.kid)], null, 1), { mode: 0o600 });
  await rename(join(dir, `${RETIRED}.tmp`), join(dir, RETIRED));
  const fresh = newPrivateJwk();
  await writeFile(join(dir, `${SIGNING}.tmp`), JSON.stringify(fresh), { mode: 0o600 });
  await rename(join(dir, `${SIGNING}.tmp`), join(dir, SIGNING));
  return { retired: old.current.kid, current: (await signingKeyOf(fresh)).kid };
};
