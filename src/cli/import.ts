import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { fileTooLarge } from '../import/importLimits.js';
import { importRecipients } from '../import/importRecipients.js';
import { rejectedCount } from '../import/importAnswer.js';
import { isImportError } from '../import/importErrors.js';
import { resolveCharset } from '../import/resolveCharset.js';
import type { Command } from './commands.js';
import { MunicipalityOption, parseOptions, pathProblem, usageError } from './options.js';
import { openRuntime } from '../runtime/openRuntime.js';

const usage = 'vrs import FILE --municipality CODE [--charset shift_jis|utf-8] [--batch N]';

const supportedCharset = (c: string) => {
  try {
    return resolveCharset(c) !== undefined;
  } catch {
    return false;
  }
};

const ImportOptions = z.object({
  FILE: z.string({ error: 'the CSV file to import is required' }),
  municipality: MunicipalityOption,
  charset: z.string().refine(supportedCharset, 'must be utf-8 or shift_jis (also sjis, cp932, windows-31j)').optional(),
  batch: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** The size of FILE when it is a regular file this process may read; otherwise why not. */
const readableFile = async (file: string): Promise<{ size: number } | { problem: string }> => {
  try {
    await access(file, constants.R_OK);
    const s = await stat(file);
    return s.isFile() ? { size: s.size } : { problem: 'not a regular file' };
  } catch (e) {
    return { problem: pathProblem(e as NodeJS.ErrnoException) };
  }
};

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
    const opts = parseOptions(ImportOptions, { ...values, FILE: positionals[0] }, usage);
    if (!opts) return 2;
    const file = opts.FILE;
    const readable = await readableFile(file);
    if ('problem' in readable) return usageError([`FILE: cannot read ${file}: ${readable.problem}`], usage);
    const { size } = readable;
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
      const answer = await importRecipients({ store: runtime.store, dataKeys: runtime.dataKeys, hmacKey: runtime.keys.hmac }, input, {
        actor: cliActor(opts.municipality),
        municipality: opts.municipality,
        charset: opts.charset,
        limits,
        batchSize: opts.batch,
        onBatch: (o, total) => {
          const counts = { line: o.lastLine, imported: total.imported, duplicates: total.duplicates, rejected: rejectedCount(total) };
          if (bar) bar.update(input.bytesRead, counts);
          else console.error(`line ${counts.line}: imported ${counts.imported}, duplicates ${counts.duplicates}, rejected ${counts.rejected}`);
        },
      });
      bar?.update(size);
      bar?.stop();
      console.log(JSON.stringify(answer, null, 2));
      return rejectedCount(answer) > 0 ? 1 : 0;
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
