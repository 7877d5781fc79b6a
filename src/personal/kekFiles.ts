import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Epoch 0 is the key that wrapped every data key before epochs existed: `master.key` (or VRS_MASTER_KEY). */
export const kekFileName = (epoch: number): string => (epoch === 0 ? 'master.key' : `kek-${epoch}.key`);

export const kekPath = (keysDir: string, epoch: number) => join(keysDir, kekFileName(epoch));

/** The key of an epoch, or undefined when its file is gone (destroyed) or was never made. */
export const readKek = async (keysDir: string, epoch: number): Promise<Buffer | undefined> => {
  try {
    const hex = (await readFile(kekPath(keysDir, epoch), 'utf8')).trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${kekFileName(epoch)}: not a 256-bit key in hex`);
    return Buffer.from(hex, 'hex');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
};

const fsyncDir = async (dir: string) => {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
};

/**
 * A new epoch's key file (0600), on disk (fsync of file and folder) before anything is wrapped under it. `replace`:
 * a file left by a rotation killed before it recorded the epoch wraps nothing and is written anew.
 */
export const createKek = async (keysDir: string, epoch: number, { replace = false } = {}): Promise<Buffer> => {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const path = kekPath(keysDir, epoch);
  await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: replace ? 'w' : 'wx' });
  const h = await open(path, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
  await fsyncDir(keysDir);
  return key;
};

/**
 * Destroys an epoch's key file: overwritten with random bytes and synced (so the blocks that held the key no
 * longer do, on a file system that overwrites in place), then unlinked. Copy-on-write file systems and SSD
 * wear levelling may keep old blocks: production keeps KEKs in a KMS (README, "Key epochs").
 */
export const destroyKek = async (keysDir: string, epoch: number): Promise<void> => {
  const path = kekPath(keysDir, epoch);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const h = await open(path, 'r+');
  try {
    await h.write(randomBytes(Math.max(size, 65)), 0, Math.max(size, 65), 0);
    await h.sync();
  } finally {
    await h.close();
  }
  await unlink(path);
  await fsyncDir(dirname(path));
};
