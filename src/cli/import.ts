import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import { parseMunicipalityCode } from '../domain/index.js';
import { fileTooLarge } from '../import/importLimits.js';
import { importRecipients } from '../import/importRecipients.js';
import { isImportError } from '../import/importErrors.js';
import type { Command } from './commands.js';
import { openRuntime } from './runtime.js';

/** The actor recorded on CLI imports: the clerk's OS account, never a personal value from the file. */
export const cliActor = (municipality: string) => ({ role: 'municipality', sub: `cli:${userInfo().username}`, municipality });

/**
 * `vrs import FILE --municipality CODE [--charset shift_jis|utf-8] [--batch N]`: the same import as
 * POST /v1/recipients/import. Progress goes to stderr (a bar on a TTY, lines otherwise); the answer, as JSON,
 * to stdout. Exit 0 when every line was imported or a duplicate, 1 when lines were rejected.
 */
export const importCommand: Command = {
  summary: 'register recipients from a CSV file: FILE --municipality CODE [--charset C] [--batch N]',
  options: { municipality: { type: 'string' }, charset: { type: 'string' }, batch: { type: 'string' } },
  run: async ({ config, values, positionals }) => {
    const file = positionals[0];
    const code = parseMunicipalityCode(String(values.municipality ?? ''), 'municipality');
    if (!file || !code.ok) {
      console.error('usage: vrs import FILE --municipality CODE (6 digits with a valid check digit)');
      return 2;
    }
    const size = (await stat(file)).size;
    const limits = { maxBytes: config.VRS_IMPORT_MAX_BYTES, maxRows: config.VRS_IMPORT_MAX_ROWS };
    if (size > limits.maxBytes) {
      console.error(fileTooLarge(limits.maxBytes).message);
      return 1;
    }
    const tty = process.stderr.isTTY;
    const bar = tty ? new cliProgress.SingleBar({ format: 'import [{bar}] {percentage}% | line {line} | imported {imported} | duplicates {duplicates} | rejected {rejected}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
    const runtime = await openRuntime(config);
    // Opened only now: the database start-up must not find the stream already flowing.
    const input = createReadStream(file);
    bar?.start(size, 0, { line: 0, imported: 0, duplicates: 0, rejected: 0 });
    try {
      const answer = await importRecipients({ store: runtime.store, dataKeys: runtime.dataKeys, hmacKey: runtime.keys.hmac, pool: runtime.pool }, input, {
        actor: cliActor(code.value),
        municipality: code.value,
        charset: values.charset as string | undefined,
        limits,
        batchSize: values.batch ? Number(values.batch) : undefined,
        onBatch: (o, total) => {
          const counts = { line: o.lastLine, imported: total.imported, duplicates: total.duplicates, rejected: total.rejected.length };
          if (bar) bar.update(input.bytesRead, counts);
          else console.error(`line ${counts.line}: imported ${counts.imported}, duplicates ${counts.duplicates}, rejected ${counts.rejected}`);
        },
      });
      bar?.update(size);
      bar?.stop();
      console.log(JSON.stringify(answer, null, 2));
      return answer.rejected.length > 0 ? 1 : 0;
    } catch (e) {
      bar?.stop();
      if (isImportError(e)) {
        console.error(`${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      await runtime.close();
    }
  },
};
