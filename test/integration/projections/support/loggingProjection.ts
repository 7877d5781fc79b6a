import type pg from 'pg';
import type { ProjectionDefinition } from '../../../../src/projections/projection.js';

export const createAppliedLog = (pool: pg.Pool) => pool.query('CREATE TABLE IF NOT EXISTS applied_log (position bigint NOT NULL, runner text NOT NULL)');

export type Fault = { crashAfterHalf?: boolean; poisonPosition?: bigint };

/**
 * Wraps a projection: every event it applies is logged (in the batch's transaction) to `applied_log`, so a
 * test can count applications. `crashAfterHalf`: the first batch of 2+ events writes half its rows, then
 * kills its own database connection (a process dying mid-batch). `poisonPosition`: always throws on that event.
 */
export const loggingProjection = (inner: ProjectionDefinition, runner: string, fault: Fault = {}) => {
  const seen = { crashed: false, batches: 0 };
  const projection: ProjectionDefinition = {
    ...inner,
    applyBatch: async (tx, events, table) => {
      seen.batches++;
      if (fault.poisonPosition !== undefined && events.some((e) => e.position === fault.poisonPosition)) {
        throw Object.assign(new Error('test projection cannot apply this event'), { code: 'TEST_POISON' });
      }
      await tx.query('INSERT INTO applied_log (position, runner) SELECT unnest($1::bigint[]), $2', [events.map((e) => e.position.toString()), runner]);
      if (fault.crashAfterHalf && !seen.crashed && events.length >= 2) {
        seen.crashed = true;
        await inner.applyBatch(tx, events.slice(0, Math.floor(events.length / 2)), table);
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }
      await inner.applyBatch(tx, events, table);
    },
  };
  return { projection, seen };
};
