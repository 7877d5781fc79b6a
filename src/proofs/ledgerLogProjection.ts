import type { BulkEvent, RecordedEvent } from '../eventstore/contract.js';
import type { ProjectionDefinition } from '../projections/projection.js';
import { eventLeafData } from './eventLeaf.js';
import { appendToLog } from './logStore.js';
import { logTableNames, logTables } from './logTables.js';

export const LEDGER_LOG = 'ledger_log';
export const ledgerLogTables = logTableNames(LEDGER_LOG);

const withHash = (e: BulkEvent): RecordedEvent => {
  if (typeof (e as Partial<RecordedEvent>).hash !== 'string') throw new Error(`event at position ${e.position} was read without its hash`);
  return e as RecordedEvent;
};

/**
 * The ledger's transparency log: every event, in the order the projections apply them (commit order), is the next
 * leaf. Kept by the projection runner like any read model: lag on /metrics, stops visibly at an event it cannot
 * apply, rebuilt from position 0 by `vrs rebuild ledger_log` (the same events give the same tree, so a rebuild that
 * gives another root is itself the evidence of a rewrite).
 */
export const ledgerLogProjection: ProjectionDefinition = {
  name: LEDGER_LOG,
  tables: logTables(LEDGER_LOG),
  reads: 'full',
  applyBatch: async (tx, events, table) => {
    const tables = { nodes: table(ledgerLogTables.nodes), leaves: table(ledgerLogTables.leaves), head: table(ledgerLogTables.head) };
    await appendToLog(
      tx,
      tables,
      events.map(withHash).map((e) => ({ position: e.position, data: eventLeafData(e) })),
    );
  },
};
