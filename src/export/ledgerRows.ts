import type pg from 'pg';
import type { Actor } from '../eventstore/contract.js';
import { loadRecipient, type LedgerDeps } from '../ledger/index.js';
import { recordAccess } from '../personal/accessLog.js';
import { resolveDoseTimes } from './doseRecordedTimes.js';
import { ledgerRow } from './ledgerRow.js';
import { recipientStreamsOf } from './recipientStreams.js';

export type ExportDeps = LedgerDeps & { pool: pg.Pool };
export type ExportOptions = { municipality: string; actor: Actor; endpoint: string; concurrency?: number };

/** Maps with at most `limit` calls in flight, answering in input order. */
const mapLimited = async <T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> => {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
};

/**
 * The ledger lines of a municipality, one page of streams at a time: each stream folded from its events (never
 * from a read model), the page's reads written to the access log before its lines are handed out.
 */
export async function* ledgerRows(deps: ExportDeps, options: ExportOptions): AsyncGenerator<string[]> {
  for await (const streams of recipientStreamsOf(deps.store, deps.pool, options.municipality)) {
    const rows = await mapLimited(streams, options.concurrency ?? 8, async (stream) => {
      const loaded = await loadRecipient(deps, stream);
      return ledgerRow(loaded, await resolveDoseTimes(deps.store, loaded.events));
    });
    await recordAccess(deps.pool, options.actor, streams, options.endpoint);
    for (const row of rows) if (row) yield row;
  }
}
