import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keysDirOf, type Config } from '../runtime/config.js';

/** The checkpoint signing seed: from configuration, else `<keys dir>/log-signing.key` created 0600 on first use. */
export const loadLogSigningSeed = async (config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_KEYS_DIR' | 'VRS_LOG_SIGNING_KEY'>): Promise<Buffer> => {
  if (config.VRS_LOG_SIGNING_KEY) return Buffer.from(config.VRS_LOG_SIGNING_KEY, 'hex');
  const dir = keysDirOf(config);
  const path = join(dir, 'log-signing.key');
  const read = async () => {
    const text = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new Error(`${path} is not 64 hex characters (a 32-byte Ed25519 seed)`);
    return Buffer.from(text, 'hex');
  };
  try {
    return await read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // 'wx': two processes starting at once must not overwrite each other's key.
    await writeFile(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' }).catch((err) => {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    });
    return read();
  }
};
