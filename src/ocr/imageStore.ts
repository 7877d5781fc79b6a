import { mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { imageSha256 } from './decodeImage.js';

export type ImageStore = {
  put(image: Buffer): Promise<string>; // → sha256
  get(sha256: string): Promise<Buffer | null>;
  path(sha256: string): string;
  sweep(olderThanDays: number, now?: Date): Promise<number>; // → files deleted
};

const isDigest = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** Content-addressed scan images in `<dataDir>/scans/<sha256[0..2]>/<sha256>`: the same photo
 *  uploaded twice is stored once, and events carry only the digest. */
export const createImageStore = (dataDir: string): ImageStore => {
  const root = join(dataDir, 'scans');
  const path = (sha256: string) => {
    if (!isDigest(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(root, sha256.slice(0, 2), sha256);
  };
  const put = async (image: Buffer) => {
    const sha256 = imageSha256(image);
    const file = path(sha256);
    await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
    // Unique per write: two uploads of the same photo at once must not share a temporary file.
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, image, { mode: 0o600 });
    await rename(tmp, file); // atomic: a reader never sees half a file
    return sha256;
  };
  const get = async (sha256: string) => {
    try {
      return await readFile(path(sha256));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };
  // Retention: scans hold personal data; after the period only the digest in the events remains.
  const sweep = async (olderThanDays: number, now = new Date()) => {
    const cutoff = now.getTime() - olderThanDays * 86_400_000;
    let deleted = 0;
    const dirs = await readdir(root).catch(() => [] as string[]);
    for (const dir of dirs) {
      for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) {
        const file = join(root, dir, name);
        const s = await stat(file).catch(() => null);
        if (s?.isFile() && s.mtimeMs < cutoff) {
          await rm(file, { force: true });
          deleted++;
        }
      }
    }
    return deleted;
  };
  return { put, get, path, sweep };
};
