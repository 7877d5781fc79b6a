import { BACKWARDS, END, excludeSystemEvents, FORWARDS, START, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '../contract.js';
import { isAfter, type LogPosition } from './position.js';
import { toRecordedEvent, type ClientEvent } from './toRecordedEvent.js';

export type AllBatch = {
  events: RecordedEvent[];
  /** The last position read (system events included): where the next batch starts. */
  last: LogPosition | undefined;
  /** Fewer than asked came back: this was the head of the log. */
  exhausted: boolean;
};

/**
 * The next events of `$all` after a checkpoint. A read from a position includes it, so one more is asked for
 * and what is not strictly after is dropped. The server filters system events; we drop any it let through.
 */
export const readAllBatch = async (client: KurrentDBClient, after: LogPosition | undefined, batch: number): Promise<AllBatch> => {
  const ask = batch + 1;
  const events: RecordedEvent[] = [];
  let last: LogPosition | undefined;
  let count = 0;
  for await (const r of client.readAll({ fromPosition: after ?? START, maxCount: ask, direction: FORWARDS, filter: excludeSystemEvents() })) {
    count++;
    if (!r.event) continue;
    const e = r.event as ClientEvent & { position: LogPosition };
    if (!isAfter(e.position, after)) continue;
    last = e.position;
    const recorded = toRecordedEvent(e);
    if (recorded) events.push(recorded);
  }
  return { events, last, exhausted: count < ask };
};

/** The newest non-system event, or null on an empty store. */
export const readLastEvent = async (client: KurrentDBClient): Promise<RecordedEvent | null> => {
  for await (const r of client.readAll({ fromPosition: END, maxCount: 100, direction: BACKWARDS, filter: excludeSystemEvents() })) {
    const recorded = r.event ? toRecordedEvent(r.event as ClientEvent) : null;
    if (recorded) return recorded;
  }
  return null;
};
