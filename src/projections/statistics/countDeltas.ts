import { StatsDelta, type DoseFigures } from '../../domain/index.js';
import type { BulkEvent } from '../../eventstore/contract.js';
import { keyString, type CountDelta } from './countKey.js';

/** Raised when a counting event carries no readable statsDelta: a bug upstream, never skipped silently. */
export class StatsDeltaError extends Error {
  readonly code = 'INVALID_STATS_DELTA';
  constructor(readonly position: bigint) {
    super(`event at position ${position} has an invalid statsDelta`);
    this.name = 'StatsDeltaError';
  }
}

/** What one event changes in the counts (empty for events that count nothing, e.g. transfers). */
export const statsDeltaOf = (event: BulkEvent): StatsDelta | null => {
  const raw = (event.data as { statsDelta?: unknown }).statsDelta;
  if (raw === undefined) return null;
  const parsed = StatsDelta.safeParse(raw);
  if (!parsed.success) throw new StatsDeltaError(event.position);
  return parsed.data;
};

/** Accumulates deltas by key; zero results stay in the map (callers drop them where a zero means nothing). */
export const createCountAccumulator = () => {
  const counts = new Map<string, CountDelta>();
  const bump = (key: DoseFigures, change: number) => {
    const id = keyString(key);
    const current = counts.get(id);
    if (current) current.change += change;
    else counts.set(id, { key, change });
  };
  return {
    addDelta: (d: StatsDelta) => {
      for (const f of d.remove) bump(f, -1);
      for (const f of d.add) bump(f, 1);
    },
    addCount: (c: CountDelta) => bump(c.key, c.change),
    /** The non-zero changes, in insertion order. */
    changes: (): CountDelta[] => [...counts.values()].filter((c) => c.change !== 0),
    /** Every key touched, zeros included (the projection upserts these). */
    all: (): CountDelta[] => [...counts.values()],
    size: () => counts.size,
  };
};

/** The net count changes of a list of events. */
export const countDeltasOf = (events: BulkEvent[]): CountDelta[] => {
  const acc = createCountAccumulator();
  for (const e of events) {
    const d = statsDeltaOf(e);
    if (d) acc.addDelta(d);
  }
  return acc.changes();
};
