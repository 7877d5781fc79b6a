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
  let seen = -1n;
  const project = async () => {
    const events = [];
    for await (const e of store.readAll({ after })) events.push(e);
    for (const e of events) if (e.position > seen) seen = e.position;
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
  // Readers see only transactions below the cluster's oldest running one, and other test files share the
  // server: keep reading until the head as it is now has been applied.
  return async () => {
    const head = (await store.head())?.position ?? -1n;
    for (let i = 0; ; i++) {
      await project();
      if (seen >= head) return;
      if (i > 600) throw new Error('statistics projection did not reach the head');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
};
