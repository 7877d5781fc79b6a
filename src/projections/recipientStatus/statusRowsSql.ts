import type pg from 'pg';
import type { StatusRow } from './statusRow.js';
import { openRow, type StoredRow } from './storedRow.js';

/** The data keys of many streams in one query (erased streams absent): `dataKeys.getMany`. */
export type KeysFor = (streams: string[]) => Promise<Map<string, Buffer>>;

/** Dates as text: no time zone ever touches a calendar date. */
export const STATUS_COLUMNS = `stream, municipality, coupon, sealed, kana_bix, birth_bix, sex, status, doses, dose_count,
  last_dose_date::text AS last_dose_date, next_eligible_date::text AS next_eligible_date, state, version, position`;

/** Stored rows opened with their streams' keys (one `keysFor` query for all). */
export const openRows = async (raw: StoredRow[], keysFor: KeysFor): Promise<StatusRow[]> => {
  if (raw.length === 0) return [];
  const keys = await keysFor(raw.filter((r) => r.sealed !== null).map((r) => r.stream));
  return raw.map((r) => openRow(r, keys.get(r.stream) ?? null));
};

/** Rows of these streams, opened with the keys given (the caller has just fetched them for the same streams). */
export const loadStatusRows = async (
  db: pg.ClientBase | pg.Pool,
  table: string,
  streams: string[],
  keys: Map<string, Buffer>,
): Promise<Map<string, StatusRow>> => {
  const { rows } = await db.query<StoredRow>(`SELECT ${STATUS_COLUMNS} FROM ${table} WHERE stream = ANY($1::text[])`, [streams]);
  return new Map(rows.map((r) => [r.stream, openRow(r, keys.get(r.stream) ?? null)]));
};

export const readAllStatusRows = async (db: pg.ClientBase | pg.Pool, table: string, keysFor: KeysFor): Promise<StatusRow[]> => {
  const { rows } = await db.query<StoredRow>(`SELECT ${STATUS_COLUMNS} FROM ${table} ORDER BY stream`);
  return openRows(rows, keysFor);
};

/**
 * All rows in one statement: the batch goes as one JSON document (native JSON.stringify, parsed once by the
 * server), far cheaper than per-column arrays of jsonb text. A row never goes back to an older stream version.
 */
export const upsertStatusRows = async (db: pg.ClientBase, table: string, rows: StoredRow[]) => {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO ${table} AS t (stream, municipality, coupon, sealed, kana_bix, birth_bix, sex, status,
       doses, dose_count, last_dose_date, next_eligible_date, state, version, position)
     SELECT * FROM json_to_recordset($1::json) AS x(stream text, municipality text, coupon text, sealed text, kana_bix text[],
       birth_bix text, sex text, status text, doses json, dose_count int, last_dose_date date,
       next_eligible_date date, state json, version bigint, position bigint)
     ON CONFLICT (stream) DO UPDATE SET
       municipality = EXCLUDED.municipality, coupon = EXCLUDED.coupon, sealed = EXCLUDED.sealed,
       kana_bix = EXCLUDED.kana_bix, birth_bix = EXCLUDED.birth_bix, sex = EXCLUDED.sex, status = EXCLUDED.status,
       doses = EXCLUDED.doses, dose_count = EXCLUDED.dose_count, last_dose_date = EXCLUDED.last_dose_date,
       next_eligible_date = EXCLUDED.next_eligible_date, state = EXCLUDED.state, version = EXCLUDED.version,
       position = EXCLUDED.position
     WHERE t.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
};
