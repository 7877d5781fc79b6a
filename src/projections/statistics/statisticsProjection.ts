import { countingEventTypes } from '../../domain/index.js';
import type { ProjectionDefinition } from '../projection.js';
import { createCountAccumulator, statsDeltaOf } from './countDeltas.js';
import { STATISTICS_TABLE, statisticsTable } from './statisticsTable.js';
import { upsertCounts } from './upsertCounts.js';

/**
 * Counts by vaccination date × prefecture × municipality × sex × age band × dose × maker × medical worker.
 * Built only from each event's clear `statsDelta`, so it survives erasure and rebuilds; transfers carry none.
 */
export const statisticsProjection: ProjectionDefinition = {
  name: 'statistics',
  tables: [statisticsTable],
  eventTypes: [...countingEventTypes],
  applyBatch: async (tx, events, table) => {
    const acc = createCountAccumulator();
    for (const e of events) {
      const d = statsDeltaOf(e);
      if (d) acc.addDelta(d);
    }
    await upsertCounts(tx, table(STATISTICS_TABLE), acc.all().filter((c) => c.change !== 0));
  },
};
