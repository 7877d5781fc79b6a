import { pipeline, Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { ledgerHeader } from './ledgerColumns.js';
import { ledgerRows, type ExportDeps, type ExportOptions } from './ledgerRows.js';

const ENCODINGS = ['utf-8', 'shift_jis'] as const;
/** Charset names are case-insensitive (`Shift_JIS` is how municipal systems spell it). */
export const ExportEncoding = z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(ENCODINGS));
export type ExportEncoding = (typeof ENCODINGS)[number];

/** Shift_JIS is written as CP932 (Windows-31J), as municipal systems read it. */
const encoder = (encoding: ExportEncoding): Transform => {
  // A StringDecoder keeps a UTF-8 character split across two chunks whole.
  const decoder = new StringDecoder('utf8');
  const encode = (text: string) => (encoding === 'shift_jis' ? iconv.encode(text, 'cp932') : Buffer.from(text, 'utf8'));
  return new Transform({
    transform: (chunk: Buffer, _e, done) => done(null, encode(decoder.write(chunk))),
    flush: (done) => done(null, encode(decoder.end())),
  });
};

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
