import { Transform } from 'node:stream';
import { z } from 'zod';
import { ImportError } from './importErrors.js';

export const importLimitsSchema = z.object({
  maxBytes: z.number().int().positive(),
  maxRows: z.number().int().positive(),
});
export type ImportLimits = z.infer<typeof importLimitsSchema>;

const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB (${n} bytes)` : `${n} bytes`;

export const fileTooLarge = (maxBytes: number): ImportError =>
  new ImportError('IMPORT_TOO_LARGE', `The file is larger than the limit of ${formatBytes(maxBytes)}`, {
    limit: 'bytes',
    max: maxBytes,
  });

export const tooManyRows = (maxRows: number): ImportError =>
  new ImportError('IMPORT_TOO_LARGE', `The file has more than the limit of ${maxRows} data rows`, {
    limit: 'rows',
    max: maxRows,
  });

/** A pass-through byte stream that fails with IMPORT_TOO_LARGE as soon as `maxBytes` is exceeded. */
export const limitBytes = (maxBytes: number): Transform => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) return done(fileTooLarge(maxBytes));
      done(null, chunk);
    },
  });
};

/** Passes items through, failing with IMPORT_TOO_LARGE on item `maxRows + 1` (a header is not an item). */
export async function* limitRows<T>(items: AsyncIterable<T>, maxRows: number): AsyncGenerator<T> {
  let count = 0;
  for await (const item of items) {
    if (++count > maxRows) throw tooManyRows(maxRows);
    yield item;
  }
}
