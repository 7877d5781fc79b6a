import type pg from 'pg';
import type { Config } from '../runtime/config.js';
import type { EventStore } from '../eventstore/contract.js';
import type { Schema } from '../eventstore/postgres/schema.js';
import { serviceKey, type Services } from '../runtime/services.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selfSignedCertificate } from './vds/selfSignedCertificate.js';
import { loadKeyRing, type KeyRing, type PublicJwk } from './keys/signingKeys.js';
import { ridSecretOf } from './keys/rid.js';
import { documentGrants, documentMigrations } from './migrations.js';
import { revocationList } from './shc/revocationList.js';
import type { Crl, TrustedIssuer } from './shc/verifyHealthCard.js';

export type DocumentDeps = {
  pool: pg.Pool;
  store: EventStore;
  iss: string;
  keys: KeyRing;
  ridSecret: Buffer;
  crl: (kid: string) => Promise<Crl | null>;
  /** The published JWK set, each key with its revocation counter. */
  jwks: () => Promise<{ keys: (PublicJwk & { crlVersion: number })[] }>;
  /** The barcode signer certificate (DER) of the current key, for VDS-NC `cer`. */
  certificate: Buffer;
  /** This issuer, as its own verifier trusts it. */
  trusted: () => TrustedIssuer[];
};

const documentsKey = serviceKey<Promise<DocumentDeps>>('documents');

type DocumentArgs = {
  pool: pg.Pool;
  /** Migrates as the owner and grants the server's role what documentGrants lists. */
  schema: Pick<Schema, 'migrate'>;
  store: EventStore;
  hmacKey: Buffer;
  config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_CERT_SIGNING_KEY' | 'VRS_ISSUER_URL'>;
  services: Services;
};

/** Made once per process and kept among the runtime's services: its table, the signing keys, the CRL. */
export const documentServices = (args: DocumentArgs): Promise<DocumentDeps> =>
  args.services.of(documentsKey, () =>
    makeDocumentDeps(args).catch((e: unknown) => {
      args.services.forget(documentsKey); // a failed start is tried again by the next request
      throw e;
    }),
  );

const makeDocumentDeps = async (args: DocumentArgs): Promise<DocumentDeps> => {
  await args.schema.migrate('documents', documentMigrations, documentGrants);
  const keys = await loadKeyRing(args.config.VRS_DATA_DIR, args.config.VRS_CERT_SIGNING_KEY);
  const certificate = await certificateOf(args.config.VRS_DATA_DIR, keys);
  const known = new Set(keys.published.map((k) => k.kid));
  const crl = async (kid: string) => (known.has(kid) ? revocationList(args.pool, args.store, kid) : null);
  return {
    pool: args.pool,
    store: args.store,
    iss: args.config.VRS_ISSUER_URL,
    keys,
    ridSecret: ridSecretOf(args.hmacKey),
    certificate,
    crl,
    jwks: async () => ({ keys: await Promise.all(keys.published.map(async (k) => ({ ...k, crlVersion: (await crl(k.kid))?.ctr ?? 0 }))) }),
    trusted: () => [{ iss: args.config.VRS_ISSUER_URL, keys: keys.published.map((k) => ({ ...k, crlVersion: 1 })), crl }],
  };
};

/** The current key's self-signed certificate, made once (0600, beside the key) and kept: its serial stays the same. */
const certificateOf = async (dataDir: string, keys: KeyRing): Promise<Buffer> => {
  const dir = join(dataDir, 'keys', 'certificates');
  const path = join(dir, `${keys.current.kid}.cer`);
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const der = selfSignedCertificate(keys.current.privateKey, { country: 'JP', commonName: 'VRS ledger vaccination certificate signer' });
  await writeFile(path, der, { mode: 0o600, flag: 'wx' }).catch((e) => {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  });
  return readFile(path);
};
