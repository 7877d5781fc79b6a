import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keysDirOf, type Config } from '../runtime/config.js';

/**
 * `dir`: where the key files are (VRS_KEYS_DIR). The key-encryption keys of the data keys are not here: they
 * are per epoch (kekRing.ts); `masterFromEnv` is VRS_MASTER_KEY, which is epoch 0's when set.
 */
export type Keys = { hmac: Buffer; jwtSecret: Uint8Array; dir: string; masterFromEnv?: Buffer };

/** A key from configuration, else from `<keys dir>/<name>`, created (mode 0600) on first use. */
const keyFile = async (dir: string, name: string, make: () => string): Promise<string> => {
  const path = join(dir, name);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const value = make();
    // 'wx': two processes starting at once must not overwrite each other's key.
    await writeFile(path, `${value}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    });
    return (await readFile(path, 'utf8')).trim();
  }
};

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
