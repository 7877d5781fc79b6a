import type pg from 'pg';
import type { ProjectionDefinition } from '../../../../src/projections/projection.js';

export const createAppliedLog = (pool: pg.Pool) => pool.query('CREATE TABLE IF NOT EXISTS applied_log (position bigint NOT NULL, runner text NOT NULL)');

export type Fault = {
  crashAfterHalf?: boolean;
  poisonPosition?: bigint;
  /**
   * Once: the first batch of 2+ events holding an event at or after `from` writes half its rows, then fails:
   * `terminate` kills its own database session (the process dying), `throw` throws (a passing fault).
   */
  failMidBatch?: { from: bigint; by: 'terminate' | 'throw' };
  /** Once: like failMidBatch, but after writing half the rows it waits for `until` (its session stays open), then goes on. */
  holdMidBatch?: { from: bigint; until: Promise<void> };
};

/**
 * Wraps a projection: every event it applies is logged (in the batch's transaction) to `applied_log`, so a
 * test can count applications. `crashAfterHalf`: the first batch of 2+ events writes half its rows, then
 * kills its own database connection (a process dying mid-batch). `poisonPosition`: always throws on that event.
 * `seen.failedAt` / `seen.held`: the positions of the batch that `failMidBatch` failed / `holdMidBatch` held.
 */
export const loggingProjection = (inner: ProjectionDefinition, runner: string, fault: Fault = {}) => {
  const seen = { crashed: false, batches: 0, failedAt: [] as bigint[], held: [] as bigint[] };
  const projection: ProjectionDefinition = {
    ...inner,
    applyBatch: async (tx, events, table) => {
      seen.batches++;
      if (fault.poisonPosition !== undefined && events.some((e) => e.position === fault.poisonPosition)) {
        throw Object.assign(new Error('test projection cannot apply this event'), { code: 'TEST_POISON' });
      }
      await tx.query('INSERT INTO applied_log (position, runner) SELECT unnest($1::bigint[]), $2', [events.map((e) => e.position.toString()), runner]);
      const hold = fault.holdMidBatch;
      if (hold && seen.held.length === 0 && events.length >= 2 && events.some((e) => e.position >= hold.from)) {
        seen.held = events.map((e) => e.position);
        await inner.applyBatch(tx, events.slice(0, Math.floor(events.length / 2)), table);
        await hold.until;
      }
      const mid = fault.failMidBatch;
      const failNow = mid && seen.failedAt.length === 0 && events.length >= 2 && events.some((e) => e.position >= mid.from);
      if ((fault.crashAfterHalf && !seen.crashed && events.length >= 2) || failNow) {
        seen.crashed = true;
        if (failNow) seen.failedAt = events.map((e) => e.position);
        await inner.applyBatch(tx, events.slice(0, Math.floor(events.length / 2)), table);
        if (failNow && mid.by === 'throw') throw Object.assign(new Error('test projection failed once mid-batch'), { code: 'TEST_ONCE' });
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }
      await inner.applyBatch(tx, events, table);
    },
  };
  return { projection, seen };
};
