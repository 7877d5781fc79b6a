import type pg from 'pg';
import type { StatusRow } from './statusRow.js';
import { STATUS_COLUMNS, statusUpsertSql } from './statusColumns.js';
import { openRow, type StoredRow } from './storedRow.js';

/** The data keys of many streams in one query (erased streams absent): `dataKeys.getMany`. */
export type KeysFor = (streams: string[]) => Promise<Map<string, Buffer>>;

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

/** Rows by upsert (see statusUpsertSql): a row never goes back to an older stream version. */
export const upsertStatusRows = async (db: pg.ClientBase, table: string, rows: StoredRow[]) => {
  if (rows.length === 0) return;
  await db.query(statusUpsertSql(table), [JSON.stringify(rows)]);
};

/** The same upsert, of rows already serialised as a JSON array (by the rebuild's folders). */
export const upsertStatusJson = async (db: pg.ClientBase, table: string, json: string) => {
  await db.query(statusUpsertSql(table), [json]);
};
