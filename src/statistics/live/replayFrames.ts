import type { EventStore } from '../../eventstore/contract.js';
import { compareCheckpoints } from '../../eventstore/checkpointOrder.js';
import type { LiveEvent } from './liveTypes.js';
import { deltaFrame } from './sseFrames.js';
import { toLiveEvent } from './toLiveEvent.js';

/**
 * What a resuming client missed: the events after `after` up to and including `until` (the point the hub
 * had sent out when the client joined), read from the store and coalesced per `per` events.
 */
export async function* replayFrames(store: EventStore, after: string, until: string, per = 1000): AsyncGenerator<{ last: string; frame: string | null }> {
  let events: LiveEvent[] = [];
  const flush = () => {
    const out = { last: events[events.length - 1].checkpoint, frame: deltaFrame(events) };
    events = [];
    return out;
  };
  for await (const e of store.readAll({ after, batch: per })) {
    if (compareCheckpoints(e.checkpoint, until) > 0) break;
    events.push(toLiveEvent(e));
    if (events.length >= per) yield flush();
    if (e.checkpoint === until) break;
  }
  if (events.length > 0) yield flush();
}
