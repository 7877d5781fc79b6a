import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ExportEncoding, ledgerCsv } from '../export/index.js';
import type { Command } from './commands.js';
import { cliActor } from './import.js';
import { MunicipalityOption, parseOptions, pathProblem, usageError } from './options.js';
import { openRuntime } from '../runtime/openRuntime.js';

const usage = 'vrs export --municipality CODE [--encoding utf-8|shift_jis] [--out FILE]';

const ExportOptions = z.object({
  municipality: MunicipalityOption,
  encoding: ExportEncoding.optional().default('utf-8'),
  out: z.string().min(1).optional(),
});

/** `vrs export --municipality CODE [--encoding utf-8|shift_jis] [--out FILE]`: the VRS ledger file (stdout by default). */
export const exportCommand: Command = {
  summary: 'write the VRS ledger export of a municipality: --municipality CODE [--encoding utf-8|shift_jis] [--out FILE]',
  options: { municipality: { type: 'string' }, encoding: { type: 'string' }, out: { type: 'string' } },
  run: async ({ config, values }) => {
    const opts = parseOptions(ExportOptions, values, usage);
    if (!opts) return 2;
    // Opened before anything is read: an unwritable path is refused before a person's data is read (and logged).
    const out = opts.out ? createWriteStream(opts.out) : process.stdout;
    if (opts.out) {
      const opened = await once(out, 'open').then(() => null, (e: NodeJS.ErrnoException) => e);
      if (opened) return usageError([`--out: cannot write ${opts.out}: ${pathProblem(opened)}`], usage);
    }
    const runtime = await openRuntime(config);
    try {
      const body = ledgerCsv(
        { store: runtime.store, dataKeys: runtime.dataKeys, hmacKey: runtime.keys.hmac, pool: runtime.pool },
        { municipality: opts.municipality, actor: cliActor(opts.municipality), endpoint: 'vrs export', encoding: opts.encoding },
      );
      await pipeline(body, out);
      if (opts.out) console.error(`wrote ${opts.out}`);
    } finally {
      await runtime.close();
    }
    return 0;
  },
};
