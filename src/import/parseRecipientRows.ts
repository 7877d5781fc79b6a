import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { breaksIn } from './breaksIn.js';
import { countLines } from './countLines.js';
import { ImportError } from './importErrors.js';
import { mapHeader, recipientFields, type RecipientField } from './recipientColumns.js';
import { rowError, wholeLine, type RowError } from './rowError.js';

/** The text of each known column of one line, as found (not yet normalised). */
export type RawRecipientRow = Partial<Record<RecipientField, string>>;

export type ParsedRow =
  | { line: number; ok: true; raw: RawRecipientRow; endLine?: number }
  | { line: number; ok: false; errors: RowError[]; endLine?: number };

export type ParseOptions = {
  /** The municipality is known from the caller, so the 自治体コード column may be left out. */
  municipalityKnown?: boolean;
  /** Longest record in characters; bounds memory when a quote is never closed. */
  maxRecordChars?: number;
};

type Parsed = { record: string[]; raw: string } | { skipped: CsvError; raw?: string };

const isBlank = (record: string[]) => record.every((f) => f.trim() === '');

/**
 * Text CSV in, one item per physical data line out: the raw fields by name, or why the line
 * could not be read. Line numbers are physical lines of the file (the header is line 1); a record
 * whose quoted field spans lines is numbered by its first line. Header problems throw ImportError.
 */
export async function* parseRecipientRows(text: Readable, options: ParseOptions = {}): AsyncGenerator<ParsedRow> {
  const counter = countLines();
  const parser = parse({
    // raw (for line numbers) without info: csv-parse's info object per record was ~4 µs of every row.
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    max_record_size: options.maxRecordChars ?? 64 * 1024,
    // Pushed in-band so a broken record keeps its place among the good ones (the 'skip' event would not).
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      if (err) parser.push({ skipped: err, raw } satisfies Parsed);
    },
  });
  text.on('error', (e) => parser.destroy(e));
  counter.stream.on('error', (e) => parser.destroy(e));
  text.pipe(counter.stream).pipe(parser);

  let next = 1; // first physical line of the next record
  let columns: Partial<Record<RecipientField, number>> | undefined;
  let width = 0;
  let tooLongAt: unknown; // csv-parse's own line number of the last record cut at max_record_size
  for await (const item of parser as AsyncIterable<Parsed>) {
    // Past a record cut at the size limit csv-parse reads no further record: each later chunk is skipped again under
    // the same line number. That line is reported once; the lines after it, once, as unreadable (below the loop).
    if ('skipped' in item && item.skipped.code === 'CSV_MAX_RECORD_SIZE') {
      if (tooLongAt !== undefined && item.skipped.lines === tooLongAt) continue;
      tooLongAt = item.skipped.lines;
    }
    const line = next;
    next = line + breaksIn(item.raw) + 1;
    if ('skipped' in item) {
      yield { line, ok: false, errors: [unreadable(item.skipped)], ...span(line, next - 1) };
      continue;
    }
    if (isBlank(item.record)) continue;
    if (!columns) {
      columns = mapHeader(item.record.map((h) => h.trim()), options);
      width = item.record.length;
      continue;
    }
    if (item.record.length !== width) {
      yield { line, ok: false, errors: [fieldCount(width, item.record.length)], ...span(line, next - 1) };
      continue;
    }
    const raw: RawRecipientRow = {};
    for (const f of recipientFields) {
      const i = columns[f];
      if (i !== undefined) raw[f] = item.record[i];
    }
    yield { line, ok: true, raw, ...span(line, next - 1) };
  }
  if (!columns) throw new ImportError('IMPORT_MISSING_HEADER', 'the file is empty: a header row is expected first');
  if (next <= counter.count.lastContentLine)
    yield {
      line: next,
      ok: false,
      errors: [rowError(wholeLine, 'UNREADABLE_LINES', 'these lines could not be read as CSV: a quoted field is never closed or a record is too long')],
      ...span(next, counter.count.lastContentLine),
    };
}

const span = (line: number, endLine: number) => (endLine > line ? { endLine } : {});

const fieldCount = (expected: number, found: number): RowError =>
  rowError(wholeLine, 'FIELD_COUNT', `expected ${expected} fields as in the header, found ${found}`);

const reasons: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
  CSV_MAX_RECORD_SIZE: 'the record is too long (a quoted field is probably never closed)',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
};

// csv-parse messages quote the offending characters, so only the code is turned into words here.
const unreadable = (e: CsvError): RowError =>
  rowError(wholeLine, 'MALFORMED_LINE', `the line is not valid CSV: ${reasons[e.code] ?? e.code}`);
