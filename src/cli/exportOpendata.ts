import { mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from './commands.js';
import { openRuntime } from '../runtime/openRuntime.js';
import { openDataFiles } from '../statistics/opendata/openDataFiles.js';
import type pg from 'pg';
import type { Runtime } from '../runtime/openRuntime.js';
import { projectionsService } from '../projections/projectionsService.js';
import { readCheckpoints } from '../projections/runner/checkpoints.js';
import { compareCheckpoints } from '../eventstore/checkpointOrder.js';

/**
 * Brings the statistics read model up to the store's head before exporting (a running server may hold the
 * runner's lock; then its runner does the work and this only waits). Gives up after `limitMs`.
 */
const catchUpStatistics = async (runtime: Runtime, limitMs = 300_000): Promise<boolean> => {
  await projectionsService(runtime).start();
  const head = await runtime.store.head();
  if (!head) return true;
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const row = (await readCheckpoints(runtime.pool)).find((r) => r.name === 'statistics');
    if (row?.checkpoint && compareCheckpoints(row.checkpoint, head.checkpoint) >= 0) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
};

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
      if (!(await catchUpStatistics(runtime))) console.error('warning: statistics are still catching up; exporting what is projected so far');
      for (const path of await writeOpenData(runtime.pool, dir)) console.log(path);
    } finally {
      await runtime.close();
    }
    return 0;
  },
};
