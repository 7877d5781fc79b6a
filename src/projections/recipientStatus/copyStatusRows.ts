import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { StoredRow } from './storedRow.js';

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL is \N. */
const special = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const text = (v: string | null): string => (v === null ? '\\N' : v.replace(special, (c) => escapes[c]));
/** JSON text never holds a raw tab or line break (JSON escapes them), so only its backslashes need doubling. */
const json = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s.includes('\\') ? s.replace(/\\/g, '\\\\') : s;
};

/** Blind indexes are base64url: an array literal needs no quoting. */
const array = (v: string[]): string => `{${v.join(',')}}`;

const line = (r: StoredRow): string =>
  [
    text(r.stream),
    text(r.municipality),
    text(r.coupon),
    text(r.sealed),
    array(r.kana_bix),
    text(r.birth_bix),
    text(r.sex),
    text(r.status),
    json(r.doses),
    String(r.dose_count),
    text(r.last_dose_date),
    text(r.next_eligible_date),
    json(r.state),
    r.version,
    r.position,
  ].join('\t') + '\n';

/** Lines grouped into ~256 KB chunks: fewer stream writes than one per row. */
export function* copyLines(rows: StoredRow[]): Generator<string> {
  let buf = '';
  for (const r of rows) {
    buf += line(r);
    if (buf.length > 256 * 1024) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * New rows (streams with no row in `table` yet) by COPY: several times cheaper than INSERT … ON CONFLICT for the
 * bulk load of a rebuild, where nearly every row is new.
 */
export const copyStatusRows = async (db: pg.ClientBase, table: string, rows: StoredRow[]) => {
  if (rows.length === 0) return;
  const sink = db.query(
    copyStreams.from(`COPY ${table} (stream, municipality, coupon, sealed, kana_bix, birth_bix, sex,
      status, doses, dose_count, last_dose_date, next_eligible_date, state, version, position) FROM STDIN`),
  );
  await pipeline(Readable.from(copyLines(rows)), sink);
};
