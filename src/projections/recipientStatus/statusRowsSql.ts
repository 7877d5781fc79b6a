import type pg from 'pg';
import type { StatusRow } from './statusRow.js';

type Raw = {
  stream: string;
  municipality: string;
  coupon: string;
  address_number: string;
  name: string | null;
  name_kana: string | null;
  kana_normalized: string;
  birth_date: string | null;
  sex: StatusRow['sex'];
  status: StatusRow['status'];
  doses: StatusRow['doses'];
  dose_count: number;
  last_dose_date: string | null;
  next_eligible_date: string | null;
  state: StatusRow['state'];
  version: string;
  position: string;
};

/** Dates as text: no time zone ever touches a calendar date. */
export const STATUS_COLUMNS = `stream, municipality, coupon, address_number, name, name_kana, kana_normalized, birth_date::text AS birth_date,
  sex, status, doses, dose_count, last_dose_date::text AS last_dose_date, next_eligible_date::text AS next_eligible_date, state, version, position`;

export const rawToRow = (r: Raw): StatusRow => ({
  stream: r.stream,
  municipality: r.municipality,
  coupon: r.coupon,
  addressNumber: r.address_number,
  name: r.name,
  nameKana: r.name_kana,
  kanaNormalized: r.kana_normalized,
  birthDate: r.birth_date,
  sex: r.sex,
  status: r.status,
  doses: r.doses,
  doseCount: r.dose_count,
  lastDoseDate: r.last_dose_date,
  nextEligibleDate: r.next_eligible_date,
  state: r.state,
  version: BigInt(r.version),
  position: BigInt(r.position),
});

export const loadStatusRows = async (db: pg.ClientBase | pg.Pool, table: string, streams: string[]): Promise<Map<string, StatusRow>> => {
  const { rows } = await db.query<Raw>(`SELECT ${STATUS_COLUMNS} FROM ${table} WHERE stream = ANY($1::text[])`, [streams]);
  return new Map(rows.map((r) => [r.stream, rawToRow(r)]));
};

export const readAllStatusRows = async (db: pg.ClientBase | pg.Pool, table: string): Promise<StatusRow[]> => {
  const { rows } = await db.query<Raw>(`SELECT ${STATUS_COLUMNS} FROM ${table} ORDER BY stream`);
  return rows.map(rawToRow);
};

/**
 * All rows in one statement: the batch goes as one JSON document (native JSON.stringify, parsed once by the
 * server), far cheaper than per-column arrays of jsonb text. A row never goes back to an older stream version.
 */
export const upsertStatusRows = async (db: pg.ClientBase, table: string, rows: StatusRow[]) => {
  if (rows.length === 0) return;
  const doc = JSON.stringify(
    rows.map((r) => ({
      stream: r.stream,
      municipality: r.municipality,
      coupon: r.coupon,
      address_number: r.addressNumber,
      name: r.name,
      name_kana: r.nameKana,
      kana_normalized: r.kanaNormalized,
      birth_date: r.birthDate,
      sex: r.sex,
      status: r.status,
      doses: r.doses,
      dose_count: r.doseCount,
      last_dose_date: r.lastDoseDate,
      next_eligible_date: r.nextEligibleDate,
      state: r.state,
      version: r.version.toString(),
      position: r.position.toString(),
    })),
  );
  await db.query(
    `INSERT INTO ${table} AS t (stream, municipality, coupon, address_number, name, name_kana, kana_normalized, birth_date, sex, status,
       doses, dose_count, last_dose_date, next_eligible_date, state, version, position)
     SELECT * FROM json_to_recordset($1::json) AS x(stream text, municipality text, coupon text, address_number text, name text,
       name_kana text, kana_normalized text, birth_date date, sex text, status text, doses json, dose_count int, last_dose_date date,
       next_eligible_date date, state json, version bigint, position bigint)
     ON CONFLICT (stream) DO UPDATE SET
       municipality = EXCLUDED.municipality, coupon = EXCLUDED.coupon, address_number = EXCLUDED.address_number,
       name = EXCLUDED.name, name_kana = EXCLUDED.name_kana, kana_normalized = EXCLUDED.kana_normalized,
       birth_date = EXCLUDED.birth_date, sex = EXCLUDED.sex, status = EXCLUDED.status, doses = EXCLUDED.doses,
       dose_count = EXCLUDED.dose_count, last_dose_date = EXCLUDED.last_dose_date,
       next_eligible_date = EXCLUDED.next_eligible_date, state = EXCLUDED.state, version = EXCLUDED.version,
       position = EXCLUDED.position
     WHERE t.version < EXCLUDED.version`,
    [doc],
  );
};
