import { parseRecipientStream, recipientEventTypes } from '../../domain/index.js';
import type { BulkEvent } from '../../eventstore/contract.js';
import { openEvent } from '../../personal/openEvent.js';
import type { ProjectionDefinition } from '../projection.js';
import { bulkStatusLoader } from './bulkStatusLoader.js';
import { foldStatusRow } from './foldStatusRow.js';
import { RECIPIENT_STATUS_TABLE, recipientStatusTable } from './recipientStatusTable.js';
import { loadStatusRows, upsertStatusRows, type KeysFor } from './statusRowsSql.js';
import { sealRow, type StoredRow } from './storedRow.js';

export type { KeysFor } from './statusRowsSql.js';

export const groupByStream = <E extends Pick<BulkEvent, 'stream'>>(events: E[]): Map<string, E[]> => {
  const by = new Map<string, E[]>();
  for (const e of events) {
    if (!parseRecipientStream(e.stream)) continue;
    const list = by.get(e.stream);
    if (list) list.push(e);
    else by.set(e.stream, [e]);
  }
  return by;
};

/**
 * 接種状況 per recipient: per batch, group by stream, load those rows, fold with the domain's evolve, upsert
 * all changed rows in one statement.
 */
export const createRecipientStatusProjection = (keysFor: KeysFor, bixKey: Buffer): ProjectionDefinition => ({
  name: 'recipient_status',
  tables: [recipientStatusTable],
  eventTypes: [...recipientEventTypes],
  applyBatch: async (tx, events, table) => {
    const physical = table(RECIPIENT_STATUS_TABLE);
    const byStream = groupByStream(events);
    if (byStream.size === 0) return;
    const streams = [...byStream.keys()];
    const keys = await keysFor(streams);
    const current = await loadStatusRows(tx, physical, streams, keys);
    const rows: StoredRow[] = [];
    for (const [stream, list] of byStream) {
      const key = keys.get(stream) ?? null;
      const previous = current.get(stream);
      const row = foldStatusRow(stream, previous, list.map((e) => openEvent(key, e)));
      if (row) rows.push(sealRow(row, key, bixKey, previous));
    }
    await upsertStatusRows(tx, physical, rows);
  },
  bulk: (dbs, table, o) => bulkStatusLoader(keysFor, bixKey, dbs, table(RECIPIENT_STATUS_TABLE), o.limit, o.workers),
});
