import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { recipientEventTypes } from '../../../src/domain/index.js';
import { createProjectionRunner } from '../../../src/projections/runner/createProjectionRunner.js';
import { cachedLag } from '../../../src/projections/runner/projectionLag.js';
import { projectionReadiness } from '../../../src/projections/runner/projectionReadiness.js';
import { foldEveryStream, tableRows } from './support/expectedRows.js';
import { runSteps, stepArb } from './support/ledgerSteps.js';
import { createAppliedLog, loggingProjection } from './support/loggingProjection.js';
import { createProjectionDb, quietLog, waitFor, type ProjectionDb } from './support/projectionDb.js';

const steps = (n: number, seed: number, people = 12) => fc.sample(stepArb(people), { numRuns: n, seed });

const checkpointPosition = async (db: ProjectionDb) => {
  const { rows } = await db.pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE name = 'recipient_status'");
  return BigInt(rows[0]?.position ?? 0);
};
const caughtUp = (db: ProjectionDb) => async () => (await checkpointPosition(db)) === (await db.store.head())?.position;

const recipientPositions = async (db: ProjectionDb) => {
  const { rows } = await db.pool.query<{ position: string }>('SELECT position FROM events WHERE type = ANY($1) ORDER BY position', [recipientEventTypes]);
  return rows.map((r) => r.position);
};
const appliedPositions = async (db: ProjectionDb) => {
  const { rows } = await db.pool.query<{ position: string }>('SELECT position FROM applied_log ORDER BY position');
  return rows.map((r) => r.position);
};

describe('projection runner', () => {
  let db: ProjectionDb;
  beforeEach(async () => {
    db = await createProjectionDb();
    await createAppliedLog(db.pool);
  });
  afterEach(async () => db.cleanup());

  it('a process dying in the middle of a batch applies nothing of it; after a restart the table equals a fold of every stream', async () => {
    const result = await runSteps(db.ledger, steps(120, 1));
    expect(result.written).toBeGreaterThan(40);
    const crashing = loggingProjection(db.recipientStatus(), 'first', { crashAfterHalf: true });
    const first = createProjectionRunner({ pool: db.pool, store: db.store, projections: [crashing.projection], log: quietLog, batch: 25, lockRetryMs: 60_000 });
    first.start();
    await waitFor('the crash', () => crashing.seen.crashed);
    await first.stop();
    expect(await checkpointPosition(db)).toBe(0n); // the crashed batch was the first: nothing moved
    expect(await appliedPositions(db)).toEqual([]);

    const second = createProjectionRunner({ pool: db.pool, store: db.store, projections: [loggingProjection(db.recipientStatus(), 'second').projection], log: quietLog, batch: 25 });
    second.start();
    await waitFor('catch-up', caughtUp(db));
    await second.stop();
    expect(await appliedPositions(db)).toEqual(await recipientPositions(db)); // each event exactly once
    expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(await foldEveryStream(db.store, db.dataKeys));
  });

  it('stops at an event it cannot apply: position and error recorded, shown as not ready, never advances past it', async () => {
    await runSteps(db.ledger, steps(80, 2));
    const positions = await recipientPositions(db);
    const poison = BigInt(positions[Math.floor(positions.length / 2)]);
    const faulty = loggingProjection(db.recipientStatus(), 'faulty', { poisonPosition: poison });
    const runner = createProjectionRunner({ pool: db.pool, store: db.store, projections: [faulty.projection], log: quietLog, batch: 16, failureRetryMs: 50 });
    runner.start();
    await waitFor('the failure', () => runner.states()[0].failed !== null);
    const batchesAtFailure = faulty.seen.batches;
    await waitFor('a retry', () => faulty.seen.batches > batchesAtFailure + 2);
    await runSteps(db.ledger, steps(10, 3), 3); // more events arrive meanwhile
    const { rows } = await db.pool.query("SELECT position, error, error_position FROM projection_checkpoints WHERE name = 'recipient_status'");
    expect(BigInt(rows[0].error_position)).toBe(poison);
    expect(rows[0].error).toMatch(/TEST_POISON/);
    expect(BigInt(rows[0].position)).toBeLessThan(poison);
    expect(await appliedPositions(db)).toEqual(positions.filter((p) => BigInt(p) < poison)); // everything before it, once

    const check = await projectionReadiness(cachedLag(db.pool, db.store, 0), runner.states, new Map())();
    expect(check.ok).toBe(false);
    expect(check.detail).toEqual([expect.objectContaining({ name: 'recipient_status', errorPosition: Number(poison), error: expect.stringMatching(/TEST_POISON/) })]);
    await runner.stop();
  });

  it('two runners on one database (separate pools, as two processes): each event applied once, the survivor takes over', async () => {
    const poolB = new pg.Pool({ connectionString: db.url, max: 5 });
    const a = createProjectionRunner({ pool: db.pool, store: db.store, projections: [loggingProjection(db.recipientStatus(), 'a').projection], log: quietLog, batch: 10, lockRetryMs: 100 });
    const b = createProjectionRunner({ pool: poolB, store: db.store, projections: [loggingProjection(db.recipientStatus(), 'b').projection], log: quietLog, batch: 10, lockRetryMs: 100 });
    a.start();
    b.start();
    try {
      // Four concurrent writers on distinct people, while both runners run.
      await Promise.all([0, 1, 2, 3].map((w) => runSteps(db.ledger, steps(40, 10 + w, 5).map((s) => ({ ...s, who: s.who + w * 5 })), w)));
      await waitFor('one runner applying', () => a.states()[0].applying || b.states()[0].applying);
      expect(a.states()[0].applying && b.states()[0].applying).toBe(false);
      const [holder, other] = a.states()[0].applying ? [a, b] : [b, a];
      await holder.stop(); // the holder goes away: its lock goes with its connection
      await waitFor('take-over', () => other.states()[0].applying);
      await runSteps(db.ledger, steps(30, 20, 20), 9);
      await waitFor('catch-up', caughtUp(db));
      await other.stop();
      const { rows } = await db.pool.query<{ runner: string; n: number }>('SELECT runner, count(*)::int AS n FROM applied_log GROUP BY runner');
      expect(rows.length).toBe(2);
      expect(await appliedPositions(db)).toEqual(await recipientPositions(db));
      expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(await foldEveryStream(db.store, db.dataKeys));
    } finally {
      await a.stop();
      await b.stop();
      await poolB.end();
    }
  });

  it('after a short batch it lingers, so events appended one by one meanwhile are applied as one batch', async () => {
    const batches: number[] = [];
    const counting = { name: 'batch_sizes', tables: [], applyBatch: async (_tx: unknown, events: unknown[]) => void batches.push(events.length) };
    const runner = createProjectionRunner({ pool: db.pool, store: db.store, projections: [counting], log: quietLog, batch: 100, lingerMs: 1000 });
    const note = (i: number) => db.store.append(`note-${i}`, [{ type: 'NoteWritten', data: { i } }]);
    runner.start();
    try {
      await note(0);
      await waitFor('the first batch', () => batches.length === 1);
      for (let i = 1; i <= 5; i++) await note(i); // each append commits and notifies on its own
      await waitFor('all six applied', () => batches.reduce((a, b) => a + b, 0) === 6);
      expect(batches).toEqual([1, 5]);
    } finally {
      await runner.stop();
    }
  });
});
