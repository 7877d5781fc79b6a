import type { EventStore } from '../../eventstore/contract.js';
import { compareCheckpoints } from '../../eventstore/checkpointOrder.js';

/**
 * Whether a client's Last-Event-ID lies past every event in the store. Such an id was never sent (every id is an
 * event's checkpoint), and resuming from it would filter out every delta until the ledger grew past it: a stream
 * that stays silent. Ids up to `sentThrough` (what this process's hub already sent) are known not to be; for a
 * later one the store is read from there (a handful of events: at most the hub's coalescing interval's worth, or
 * what another API node sent before this one caught up).
 */
export const isBeyondHead = async (store: EventStore, lastEventId: string, sentThrough: string | undefined): Promise<boolean> => {
  if (sentThrough !== undefined && compareCheckpoints(lastEventId, sentThrough) <= 0) return false;
  for await (const e of store.readAll({ after: sentThrough, batch: 500 })) {
    if (compareCheckpoints(e.checkpoint, lastEventId) >= 0) return false;
  }
  return true;
};
