import type { StatusRow } from './statusRow.js';

/**
 * The columns of `recipient_status`, written once: the table's DDL, the SELECT list, the upsert and the COPY
 * (column list and line encoder) are all derived from this list, and so is the stored row's type (`StoredRow`).
 * Order matters only for the DDL (a table made from it keeps the order it always had).
 */

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL is \N. */
const special = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const text = <T extends string>(v: T): string => v.replace(special, (c) => escapes[c]);
const textOrNull = <T extends string>(v: T | null): string => (v === null ? '\\N' : text(v));
/** JSON text never holds a raw tab or line break (JSON escapes them), so only its backslashes need doubling. */
const json = <T>(v: T): string => {
  const s = JSON.stringify(v);
  return s.includes('\\') ? s.replace(/\\/g, '\\\\') : s;
};
/** Blind indexes are base64url: an array literal needs no quoting. */
const array = (v: string[]): string => `{${v.join(',')}}`;
const int = (v: number): string => String(v);
/** bigints travel as decimal strings (JSON has no bigint). */
const decimal = (v: string): string => v;

type Column<N extends string, T> = {
  name: N;
  /** SQL type, as json_to_recordset takes it. */
  type: string;
  /** What the DDL adds after the type (collation, NOT NULL, key). */
  ddl: string;
  /** COPY text of a value. */
  copy: (v: T) => string;
};
const column = <N extends string, T>(name: N, type: string, ddl: string, copy: (v: T) => string): Column<N, T> => ({ name, type, ddl, copy });

export const statusColumns = [
  column('stream', 'text', 'PRIMARY KEY', text<string>),
  column('municipality', 'text', 'NOT NULL', text<string>),
  column('coupon', 'text', 'COLLATE "C" NOT NULL', text<string>),
  column('sealed', 'text', '', textOrNull<string>),
  column('kana_bix', 'text[]', 'NOT NULL', array),
  column('birth_bix', 'text', '', textOrNull<string>),
  column('sex', 'text', 'NOT NULL', text<StatusRow['sex']>),
  column('status', 'text', 'NOT NULL', text<StatusRow['status']>),
  column('doses', 'json', 'NOT NULL', json<StatusRow['doses']>),
  column('dose_count', 'int', 'NOT NULL', int),
  column('last_dose_date', 'date', '', textOrNull<string>),
  column('next_eligible_date', 'date', '', textOrNull<string>),
  column('state', 'json', 'NOT NULL', json<StatusRow['state']>),
  column('version', 'bigint', 'NOT NULL', decimal),
  column('position', 'bigint', 'NOT NULL', decimal),
] as const;

type Columns = (typeof statusColumns)[number];

/** A row as PostgreSQL keeps it (see storedRow.ts): one field per column, typed by its encoder. */
export type StoredRow = { [C in Columns as C['name']]: Parameters<C['copy']>[0] };

const names = statusColumns.map((c) => c.name).join(', ');

/** The table's column definitions (CREATE TABLE body). */
export const statusColumnsDdl = statusColumns.map((c) => `${c.name} ${c.type}${c.ddl ? ` ${c.ddl}` : ''}`).join(',\n    ');

/** The SELECT list; dates as text, so no time zone ever touches a calendar date. */
export const STATUS_COLUMNS = statusColumns.map((c) => (c.type === 'date' ? `${c.name}::text AS ${c.name}` : c.name)).join(', ');

/**
 * All rows in one statement: the batch goes as one JSON document (native JSON.stringify, parsed once by the
 * server), far cheaper than per-column arrays of jsonb text. A row never goes back to an older stream version.
 */
export const statusUpsertSql = (table: string) =>
  `INSERT INTO ${table} AS t (${names})
     SELECT * FROM json_to_recordset($1::json) AS x(${statusColumns.map((c) => `${c.name} ${c.type}`).join(', ')})
     ON CONFLICT (stream) DO UPDATE SET
       ${statusColumns.filter((c) => c.name !== 'stream').map((c) => `${c.name} = EXCLUDED.${c.name}`).join(', ')}
     WHERE t.version < EXCLUDED.version`;

export const statusCopySql = (table: string) => `COPY ${table} (${names}) FROM STDIN`;

/** One row as a line of COPY text. */
export const statusCopyLine = (r: StoredRow): string => {
  let line = '';
  for (let i = 0; i < statusColumns.length; i++) {
    const c = statusColumns[i];
    // Each column's encoder takes that column's field: the mapped type above guarantees it.
    line += (i > 0 ? '\t' : '') + (c.copy as (v: unknown) => string)(r[c.name]);
  }
  return line + '\n';
};
