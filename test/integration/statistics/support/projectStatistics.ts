import type pg from 'pg';
import type { EventStore, RecordedEvent } from '../../../../src/eventstore/contract.js';
import { statisticsProjection } from '../../../../src/projections/statistics/statisticsProjection.js';

/**
 * Applies the statistics projection to everything in the store, batch and checkpoint together, the way the
 * runner does (used until a test needs the runner itself). Returns a function that catches up again.
 */
export const createStatisticsProjector = async (pool: pg.Pool, store: EventStore) => {
  // A runtime's pool is the server's role, which may not run DDL: its tables come from projectionsService().ready().
  for (const t of statisticsProjection.tables) {
    const { rows } = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [t.name]);
    if (!rows[0].found) await pool.query(t.create(t.name));
  }
  let after: string | undefined;
  const types = new Set(statisticsProjection.eventTypes);
  /** Everything committed until now, as one batch (once settled: another test file may hold commits back from readers). */
  const readToHead = async () => {
    await store.settled();
    const events: RecordedEvent[] = [];
    let cursor = after;
    for await (const e of store.readAll({ after: cursor })) {
      events.push(e);
      cursor = e.checkpoint;
    }
    return { events, cursor };
  };
  return async () => {
    const { events, cursor } = await readToHead();
    if (events.length === 0) return;
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await statisticsProjection.applyBatch(tx, events.filter((e) => types.has(e.type)), (n) => n);
      await tx.query('COMMIT');
      after = cursor;
    } catch (e) {
      await tx.query('ROLLBACK');
      throw e;
    } finally {
      tx.release();
    }
  };
};
