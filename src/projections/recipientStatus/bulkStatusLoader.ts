import type pg from 'pg';
import { evolve, initialState, type RecipientState } from '../../domain/index.js';
import type { RecordedEvent } from '../../eventstore/contract.js';
import type { BulkLoader } from '../projection.js';
import { copyStatusRows } from './copyStatusRows.js';
import type { KeysFor } from './recipientStatusProjection.js';
import { groupByStream, openEvent } from './recipientStatusProjection.js';
import { rowToState, stateToRow, type StatusRow } from './statusRow.js';
import { loadStatusRows, upsertStatusRows } from './statusRowsSql.js';

/** A stream's fold so far; `storedVersion` is the version of its row in the table (0n: no row yet). */
type Held = { key: Buffer | null; state: RecipientState; version: bigint; position: bigint; storedVersion: bigint };

/**
 * Rebuild mode: every stream's state stays in memory across batches (a stream's events are read in order, most
 * streams are short), and each row is written once, by COPY, when `limit` streams are held or at the end. A
 * stream seen again after a flush starts from its stored row and is written back by upsert.
 */
export const bulkStatusLoader = (keysFor: KeysFor, db: pg.ClientBase, table: string, limit: number): BulkLoader => {
  const held = new Map<string, Held>();
  let flushed = false;

  const flush = async () => {
    const fresh: StatusRow[] = [];
    const stored: StatusRow[] = [];
    for (const [stream, h] of held) {
      if (h.state.kind !== 'registered' || h.version === h.storedVersion) continue;
      (h.storedVersion === 0n ? fresh : stored).push(stateToRow(stream, h.state, h.version, h.position));
    }
    held.clear();
    flushed = true;
    await copyStatusRows(db, table, fresh);
    await upsertStatusRows(db, table, stored);
  };

  const add = async (events: RecordedEvent[]) => {
    const byStream = groupByStream(events);
    const unseen = [...byStream.keys()].filter((s) => !held.has(s));
    if (unseen.length > 0) {
      const [keys, rows] = await Promise.all([keysFor(unseen), flushed ? loadStatusRows(db, table, unseen) : new Map<string, StatusRow>()]);
      for (const s of unseen) {
        const row = rows.get(s);
        const version = row?.version ?? 0n;
        held.set(s, { key: keys.get(s) ?? null, state: row ? rowToState(row) : initialState(), version, position: row?.position ?? 0n, storedVersion: version });
      }
    }
    for (const [stream, list] of byStream) {
      const h = held.get(stream)!;
      for (const e of list) {
        if (e.version <= h.version) continue;
        h.state = evolve(h.state, openEvent(h.key, e).event);
        h.version = e.version;
        h.position = e.position;
      }
    }
    if (held.size >= limit) await flush();
  };

  return { add, finish: flush };
};
