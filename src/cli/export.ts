import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseMunicipalityCode } from '../domain/index.js';
import { ExportEncoding, ledgerCsv } from '../export/index.js';
import type { Command } from './commands.js';
import { cliActor } from './import.js';
import { openRuntime } from './runtime.js';

/** `vrs export --municipality CODE [--encoding utf-8|shift_jis] [--out FILE]`: the VRS ledger file (stdout by default). */
export const exportCommand: Command = {
  summary: 'write the VRS ledger export of a municipality: --municipality CODE [--encoding utf-8|shift_jis] [--out FILE]',
  options: { municipality: { type: 'string' }, encoding: { type: 'string' }, out: { type: 'string' } },
  run: async ({ config, values }) => {
    const code = parseMunicipalityCode(String(values.municipality ?? ''), 'municipality');
    const encoding = ExportEncoding.safeParse(values.encoding ?? 'utf-8');
    if (!code.ok || !encoding.success) {
      console.error('usage: vrs export --municipality CODE [--encoding utf-8|shift_jis] [--out FILE]');
      return 2;
    }
    const runtime = await openRuntime(config);
    try {
      const body = ledgerCsv(
        { store: runtime.store, dataKeys: runtime.dataKeys, hmacKey: runtime.keys.hmac, pool: runtime.pool },
        { municipality: code.value, actor: cliActor(code.value), endpoint: 'vrs export', encoding: encoding.data },
      );
      await pipeline(body, values.out ? createWriteStream(String(values.out)) : process.stdout);
      if (values.out) console.error(`wrote ${values.out}`);
    } finally {
      await runtime.close();
    }
    return 0;
  },
};
