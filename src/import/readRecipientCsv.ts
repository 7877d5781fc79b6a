import type { Readable } from 'node:stream';
import { decodeCsvStream } from './decodeCsvStream.js';
import { inBatches } from './inBatches.js';
import { limitBytes, limitRows, type ImportLimits } from './importLimits.js';
import { normalizeRow, type ImportedRecipient } from './normalizeRow.js';
import { parseRecipientRows } from './parseRecipientRows.js';
import type { CsvEncoding } from './resolveCharset.js';
import type { RowError } from './rowError.js';
import type { InvalidBytes } from './invalidUtf8Tracker.js';

/** The first invalid byte on the record's lines; entries for lines before it are dropped (memory stays flat). */
const invalidOffset = (invalid: InvalidBytes, line: number, endLine: number): number | undefined => {
  for (const [l, at] of invalid) {
    if (l > endLine) return undefined;
    invalid.delete(l);
    if (l >= line) return at;
  }
  return undefined;
};

/** An INVALID_ENCODING error says where in the file (a byte offset: never the bytes themselves). */
const withOffset = (e: RowError, at: number): RowError =>
  e.code === 'INVALID_ENCODING' ? { ...e, message: `${e.field}: contains bytes that are not valid UTF-8 (the line's first invalid byte is at offset ${at} of the file)`, offset: at } : e;

/** One data line of the file: a register body ready for the shared schema and decider, or why not. */
export type ImportLine =
  | { line: number; ok: true; recipient: ImportedRecipient }
  | { line: number; ok: false; errors: RowError[]; endLine?: number };

export type ReadRecipientCsvOptions = {
  /** Content-Type charset; detected from the bytes when absent. */
  charset?: string;
  /** The importing municipality (token claim or --municipality). */
  municipality?: string;
  limits?: Partial<ImportLimits>;
  /** Lines per batch; default 1000. */
  batchSize?: number;
  onEncoding?: (encoding: CsvEncoding) => void;
};

/**
 * The whole parsing half of the import: bytes → text → CSV lines → normalised bodies, in
 * batches, pulled by the consumer (nothing is read ahead of the batch being appended). Throws
 * ImportError for problems with the whole file (header, charset, IMPORT_TOO_LARGE).
 */
export async function* readRecipientCsv(
  bytes: Readable,
  options: ReadRecipientCsvOptions = {},
): AsyncGenerator<ImportLine[]> {
  try {
    yield* inBatches(lines(bytes, options), options.batchSize ?? 1000);
  } finally {
    // A consumer that stops early (or an error) must not leave the upload stream hanging.
    if (!bytes.destroyed) bytes.destroy();
  }
}

async function* lines(bytes: Readable, options: ReadRecipientCsvOptions): AsyncGenerator<ImportLine> {
  let source = bytes;
  if (options.limits?.maxBytes !== undefined) {
    const limiter = limitBytes(options.limits.maxBytes);
    bytes.on('error', (e) => limiter.destroy(e));
    source = bytes.pipe(limiter);
  }
  const invalidBytes: InvalidBytes = new Map();
  const text = decodeCsvStream(source, { charset: options.charset, onEncoding: options.onEncoding, invalidBytes });
  let rows = parseRecipientRows(text, { municipalityKnown: options.municipality !== undefined });
  if (options.limits?.maxRows !== undefined) rows = limitRows(rows, options.limits.maxRows);
  for await (const row of rows) {
    if (!row.ok) {
      yield row;
      continue;
    }
    const n = normalizeRow(row.raw, { municipality: options.municipality });
    if (n.ok) {
      yield { line: row.line, ok: true, recipient: n.value };
      continue;
    }
    const at = invalidOffset(invalidBytes, row.line, row.endLine ?? row.line);
    yield { line: row.line, ok: false, errors: at === undefined ? n.errors : n.errors.map((e) => withOffset(e, at)) };
  }
}
