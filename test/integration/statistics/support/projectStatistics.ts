import type pg from 'pg';
import type { EventStore } from '../../../../src/eventstore/contract.js';
import { statisticsProjection } from '../../../../src/projections/statistics/statisticsProjection.js';

/**
 * Applies the statistics projection to everything in the store, batch and checkpoint together, the way the
 * runner does (used until a test needs the runner itself). Returns a function that catches up again.
 */
export const createStatisticsProjector = async (pool: pg.Pool, store: EventStore) => {
  for (const t of statisticsProjection.tables) await pool.query(t.create(t.name));
  let after: string | undefined;
  const types = new Set(statisticsProjection.eventTypes);
  return async () => {
    const events = [];
    for await (const e of store.readAll({ after })) events.push(e);
    if (events.length === 0) return;
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await statisticsProjection.applyBatch(tx, events.filter((e) => types.has(e.type)), (n) => n);
      await tx.query('COMMIT');
      after = events[events.length - 1].checkpoint;
    } catch (e) {
      await tx.query('ROLLBACK');
      throw e;
    } finally {
      tx.release();
    }
  };
};
