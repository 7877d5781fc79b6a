import { randomBytes } from 'node:crypto';
import { keysDirOf, type Config } from '../runtime/config.js';
import { secretIn as keyFile } from '../eventstore/secretFile.js';

/**
 * `dir`: where the key files are (VRS_KEYS_DIR). The key-encryption keys of the data keys are not here: they
 * are per epoch (kekRing.ts); `masterFromEnv` is VRS_MASTER_KEY, which is epoch 0's when set.
 */
export type Keys = { hmac: Buffer; jwtSecret: Uint8Array; dir: string; masterFromEnv?: Buffer };

const hex32 = () => randomBytes(32).toString('hex');

export const loadKeys = async (
  config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_KEYS_DIR' | 'VRS_MASTER_KEY' | 'VRS_HMAC_KEY' | 'VRS_JWT_SECRET'>,
): Promise<Keys> => {
  const dir = keysDirOf(config);
  const hmac = config.VRS_HMAC_KEY ?? (await keyFile(dir, 'hmac.key', hex32));
  const jwt = config.VRS_JWT_SECRET ?? (await keyFile(dir, 'jwt.secret', () => randomBytes(48).toString('base64url')));
  return {
    hmac: Buffer.from(hmac, 'hex'),
    jwtSecret: new TextEncoder().encode(jwt),
    dir,
    ...(config.VRS_MASTER_KEY ? { masterFromEnv: Buffer.from(config.VRS_MASTER_KEY, 'hex') } : {}),
  };
};
