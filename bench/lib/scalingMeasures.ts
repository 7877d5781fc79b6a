import type { EventStore } from '../../src/eventstore/contract.js';

/** What bench/scaling.ts hands each extra measure once the events table holds `events` events. */
export type ScalingContext = { url: string; store: EventStore; events: number; quick: boolean };

/** One more column of the scaling table, e.g. `{ name: 'rebuild', unit: 'µs/event', measure }`. */
export type ScalingMeasure = {
  name: string;
  unit: string;
  measure: (context: ScalingContext) => Promise<number>;
};

/**
 * Hook for other capabilities' costs at each table size. TODO(projections owner): add the read-model rebuild here
 * (rebuild every projection from position 0 over `context.store`, return µs per event); bench/scaling.ts runs
 * every entry at 10^4, 10^5 and 10^6 events and prints it as a row of the table.
 */
export const scalingMeasures: ScalingMeasure[] = [];
