import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `<dataDir>/keys`: key files and database passwords, mode 0700, outside the PostgreSQL cluster folder. */
export const keysDir = (dataDir: string) => join(dataDir, 'keys');

/** A secret kept in `<dataDir>/keys/<name>` (mode 0600), created on first use. */
export const secretFile = (dataDir: string, name: string, make: () => string = () => randomBytes(32).toString('hex')): Promise<string> =>
  secretIn(keysDir(dataDir), name, make);

/** A secret kept in `<dir>/<name>` (mode 0600, the folder 0700), created on first use. */
export const secretIn = async (dir: string, name: string, make: () => string): Promise<string> => {
  const path = join(dir, name);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // 'wx': two processes starting at once must not overwrite each other's secret.
    await writeFile(path, `${make()}\n`, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    return (await readFile(path, 'utf8')).trim();
  }
};
