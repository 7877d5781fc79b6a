import { rotateKeys } from '../personal/rotateKeys.js';
import type { Command } from './commands.js';
import { openRuntime } from '../runtime/openRuntime.js';

/**
 * `vrs keys rotate`: a new key epoch, every live data key re-wrapped under it (progress on stderr), then the old
 * epochs' key files destroyed. Safe to kill and run again: the rerun finishes the same epoch.
 */
export const keysCommand: Command = {
  summary: 'keys rotate: re-wrap every data key under a new key epoch and destroy the old one',
  options: { batch: { type: 'string' } },
  run: async ({ config, values, positionals }) => {
    if (positionals[0] !== 'rotate' || positionals.length !== 1) {
      console.error('usage: vrs keys rotate [--batch N]');
      return 2;
    }
    const batch = values.batch === undefined ? 1000 : Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
      console.error('--batch: a whole number from 1 to 100000');
      return 2;
    }
    const runtime = await openRuntime(config);
    try {
      const result = await rotateKeys(runtime.schema.owner, runtime.keys.dir, runtime.kekRing, {
        batch,
        masterFromEnv: runtime.keys.masterFromEnv !== undefined,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      if ('busy' in result) {
        console.error('another key rotation is running; run this again when it is done');
        return 1;
      }
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
