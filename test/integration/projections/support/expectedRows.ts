import type pg from 'pg';
import { parseRecipientStream } from '../../../../src/domain/index.js';
import type { EventStore, RecordedEvent } from '../../../../src/eventstore/contract.js';
import type { DataKeys } from '../../../../src/personal/dataKeys.js';
import { foldStatusRow } from '../../../../src/projections/recipientStatus/foldStatusRow.js';
import { openEvent } from '../../../../src/personal/openEvent.js';
import type { StatusRow } from '../../../../src/projections/recipientStatus/statusRow.js';
import { STATUS_COLUMNS } from '../../../../src/projections/recipientStatus/statusColumns.js';
import { readAllStatusRows, type KeysFor } from '../../../../src/projections/recipientStatus/statusRowsSql.js';
import type { StoredRow } from '../../../../src/projections/recipientStatus/storedRow.js';

/** JSON-comparable: bigints as strings, undefined fields dropped (as jsonb drops them). */
export const comparable = (rows: StatusRow[]) =>
  JSON.parse(JSON.stringify([...rows].sort((a, b) => a.stream.localeCompare(b.stream)), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown[];

/**
 * The read model as it must be: every recipient stream folded from scratch with the domain's evolve (with
 * `upTo`, only the events at or below that position: what a projection stopped there must hold).
 */
export const foldEveryStream = async (store: EventStore, dataKeys: DataKeys, upTo?: bigint): Promise<unknown[]> => {
  const byStream = new Map<string, RecordedEvent[]>();
  await store.settled();
  for await (const e of store.readAll()) {
    if (!parseRecipientStream(e.stream) || (upTo !== undefined && e.position > upTo)) continue;
    byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
  }
  const rows: StatusRow[] = [];
  for (const [stream, events] of byStream) {
    const key = await dataKeys.get(stream);
    events.sort((a, b) => (a.version < b.version ? -1 : 1));
    const row = foldStatusRow(stream, undefined, events.map((e) => openEvent(key, e)));
    if (row) rows.push(row);
  }
  return comparable(rows);
};

/** The table's rows, opened with the data keys (the table itself holds no personal field in clear). */
export const tableRows = async (pool: pg.Pool, keysFor: KeysFor, table = 'recipient_status') => comparable(await readAllStatusRows(pool, table, keysFor));

/**
 * The table's rows as stored, every column (blind indexes, the fold state, versions) but the sealed block, which is
 * sealed under a fresh IV each time it is written: only whether there is one (its content is what tableRows opens).
 */
export const storedRows = async (pool: pg.Pool, table = 'recipient_status') => {
  const { rows } = await pool.query<StoredRow>(`SELECT ${STATUS_COLUMNS} FROM ${table} ORDER BY stream`);
  return rows.map((r) => ({ ...r, sealed: r.sealed === null ? null : 'sealed' }));
};
