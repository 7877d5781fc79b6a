import type { CountDelta } from '../../projections/statistics/countKey.js';
import { createCountAccumulator } from '../../projections/statistics/countDeltas.js';
import type { LiveEvent } from './liveTypes.js';

const deltaJson = ({ key, change }: CountDelta) => ({
  date: key.date,
  prefecture: key.prefecture,
  municipality: key.municipality,
  sex: key.sex,
  ageBand: key.ageBand,
  doseNumber: key.doseNumber,
  maker: key.maker,
  medicalWorker: key.medicalWorker,
  change,
});

/**
 * The `delta` message for a run of events: its id is the checkpoint of the last event covered, so a client
 * resuming with that Last-Event-ID gets what follows. Null when the events' deltas cancel out.
 */
export const deltaFrame = (events: LiveEvent[]): string | null => {
  if (events.length === 0) return null;
  const acc = createCountAccumulator();
  for (const e of events) for (const d of e.deltas) acc.addCount(d);
  const changes = acc.changes();
  if (changes.length === 0) return null;
  const last = events[events.length - 1];
  const body = { checkpoint: last.checkpoint, position: last.position.toString(), events: events.length, sentAt: Date.now(), deltas: changes.map(deltaJson) };
  return `id: ${last.checkpoint}\nevent: delta\ndata: ${JSON.stringify(body)}\n\n`;
};

export const heartbeatFrame = ': heartbeat\n\n';

export const errorFrame = (code: string, message: string) => `event: error\ndata: ${JSON.stringify({ error: { code, message } })}\n\n`;

/** Tells the client how soon to reconnect after a drop. */
export const retryFrame = (ms: number) => `retry: ${ms}\n\n`;
