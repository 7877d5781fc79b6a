import { pipeline, Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { ledgerHeader } from './ledgerColumns.js';
import { ledgerRows, type ExportDeps, type ExportOptions } from './ledgerRows.js';

export const ExportEncoding = z.enum(['utf-8', 'shift_jis']);
export type ExportEncoding = z.infer<typeof ExportEncoding>;

/** Shift_JIS is written as CP932 (Windows-31J), as municipal systems read it. */
const encoder = (encoding: ExportEncoding): Transform =>
  encoding === 'shift_jis'
    ? (iconv.encodeStream('cp932') as unknown as Transform)
    : new Transform({ transform: (chunk: Buffer | string, _e, done) => done(null, Buffer.from(chunk)) });

/**
 * The ledger file as a byte stream: header, then one line per recipient, CRLF, pulled page by page so memory
 * stays flat. Errors (e.g. the database going away) destroy the stream.
 */
export const ledgerCsv = (deps: ExportDeps, options: ExportOptions & { encoding: ExportEncoding }): Readable => {
  const rows = Readable.from((async function* () {
    yield ledgerHeader;
    yield* ledgerRows(deps, options);
  })());
  const csv = stringify({ record_delimiter: '\r\n' });
  const out = encoder(options.encoding);
  // pipeline tears the whole chain down when the reader goes away, which stops the database reads too.
  return pipeline(rows, csv, out, () => {});
};
