import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export default async () => {
  const pg = globalThis.__vrsPg;
  if (!pg) return;
  await pg.stop();
  await rm(dirname(pg.dataDir), { recursive: true, force: true });
};
