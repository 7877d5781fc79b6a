import { mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from './commands.js';
import { openRuntime } from './runtime.js';
import { openDataFiles } from '../statistics/opendata/openDataFiles.js';
import type pg from 'pg';

/** Writes the three open-data files into `dir`, streamed from the statistics table. */
export const writeOpenData = async (pool: pg.Pool, dir: string): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of openDataFiles) {
    const path = join(dir, file.name);
    await pipeline(Readable.from(file.chunks(pool)), createWriteStream(path));
    written.push(path);
  }
  return written;
};

/** `vrs export-opendata DIR`. */
export const exportOpendataCommand: Command = {
  summary: 'write prefecture.ndjson, summary_by_date.csv, summary_by_prefecture.csv into DIR',
  run: async ({ config, positionals }) => {
    const dir = positionals[0];
    if (!dir) {
      console.error('usage: vrs export-opendata DIR');
      return 2;
    }
    const runtime = await openRuntime(config);
    try {
      for (const path of await writeOpenData(runtime.pool, dir)) console.log(path);
    } finally {
      await runtime.close();
    }
    return 0;
  },
};
