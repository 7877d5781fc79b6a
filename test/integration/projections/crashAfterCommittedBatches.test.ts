import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { recipientEventTypes } from '../../../src/domain/index.js';
import { createProjectionRunner } from '../../../src/projections/runner/createProjectionRunner.js';
import { foldEveryStream, tableRows } from './support/expectedRows.js';
import { runSteps, stepArb } from './support/ledgerSteps.js';
import { createAppliedLog, loggingProjection } from './support/loggingProjection.js';
import { createProjectionDb, quietLog, waitFor, type ProjectionDb } from './support/projectionDb.js';

const steps = (n: number, seed: number) => fc.sample(stepArb(12), { numRuns: n, seed });

type Checkpoint = { position: bigint; error: string | null };
const checkpoint = async (db: ProjectionDb): Promise<Checkpoint> => {
  const { rows } = await db.pool.query<{ position: string; error: string | null }>(
    "SELECT position, error FROM projection_checkpoints WHERE name = 'recipient_status'",
  );
  return { position: BigInt(rows[0]?.position ?? 0), error: rows[0]?.error ?? null };
};
const caughtUp = (db: ProjectionDb) => async () => (await checkpoint(db)).position === (await db.store.head())?.position;
const recipientPositions = async (db: ProjectionDb) => {
  const { rows } = await db.pool.query<{ position: string }>('SELECT position FROM events WHERE type = ANY($1) ORDER BY position', [recipientEventTypes]);
  return rows.map((r) => BigInt(r.position));
};
const applied = async (db: ProjectionDb) => {
  const { rows } = await db.pool.query<{ position: string; runner: string }>('SELECT position, runner FROM applied_log ORDER BY position');
  return rows.map((r) => ({ position: BigInt(r.position), runner: r.runner }));
};

/**
 * A failure in the middle of a batch when earlier batches have already committed: the earlier batches stay
 * (exactly once), nothing of the failed batch stays, and whoever carries on applies each later event once.
 */
describe('recipient_status: a batch failing half-way after earlier batches committed', () => {
  let db: ProjectionDb;
  let positions: bigint[];
  let from: bigint;
  beforeEach(async () => {
    db = await createProjectionDb();
    await createAppliedLog(db.pool);
    expect((await runSteps(db.ledger, steps(120, 31))).written).toBeGreaterThan(40);
    positions = await recipientPositions(db);
    from = positions[Math.floor(positions.length * 0.6)]; // several batches of 10 lie before it
  });
  afterEach(async () => db.cleanup());

  /** At the failure: the checkpoint sits before the failed batch, and the table and log hold exactly what is below it. */
  const expectOnlyCommittedBatches = async (failedAt: bigint[]) => {
    const at = await checkpoint(db);
    expect(failedAt.length).toBeGreaterThanOrEqual(2);
    expect(at.position).toBeGreaterThan(0n); // earlier batches did commit
    expect(at.position).toBeLessThan(failedAt[0]);
    expect((await applied(db)).map((a) => a.position)).toEqual(positions.filter((p) => p <= at.position));
    expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(await foldEveryStream(db.store, db.dataKeys, at.position));
    return at;
  };

  const expectEachEventOnceAndFold = async () => {
    expect((await applied(db)).map((a) => a.position)).toEqual(positions);
    expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(await foldEveryStream(db.store, db.dataKeys));
    expect((await checkpoint(db)).error).toBeNull();
  };

  it('session killed half-way through a later batch; a restarted runner carries on from the last commit', async () => {
    const crashing = loggingProjection(db.recipientStatus(), 'first', { failMidBatch: { from, by: 'terminate' } });
    const first = createProjectionRunner({ pool: db.pool, store: db.store, projections: [crashing.projection], log: quietLog, batch: 10, lockRetryMs: 60_000 });
    first.start();
    await waitFor('the crash', () => crashing.seen.crashed);
    await waitFor('the dead runner to let go', () => !first.states()[0].applying);
    await first.stop();
    const at = await expectOnlyCommittedBatches(crashing.seen.failedAt);
    expect(at.error).toBeNull(); // a dead session is not an event that cannot be applied

    const second = createProjectionRunner({ pool: db.pool, store: db.store, projections: [loggingProjection(db.recipientStatus(), 'second').projection], log: quietLog, batch: 10 });
    second.start();
    await waitFor('catch-up', caughtUp(db));
    await second.stop();
    await expectEachEventOnceAndFold();
    const log = await applied(db);
    expect(log.filter((a) => a.runner === 'first').map((a) => a.position)).toEqual(positions.filter((p) => p <= at.position));
    expect(log.filter((a) => a.runner === 'second').map((a) => a.position)).toEqual(positions.filter((p) => p > at.position));
  });

  it('session killed half-way through a later batch; the same runner reconnects and carries on by itself', async () => {
    const crashing = loggingProjection(db.recipientStatus(), 'only', { failMidBatch: { from, by: 'terminate' } });
    const runner = createProjectionRunner({ pool: db.pool, store: db.store, projections: [crashing.projection], log: quietLog, batch: 10, lockRetryMs: 50 });
    runner.start();
    try {
      await waitFor('the crash', () => crashing.seen.crashed);
      await waitFor('catch-up', caughtUp(db));
    } finally {
      await runner.stop();
    }
    expect(crashing.seen.failedAt.length).toBeGreaterThanOrEqual(2);
    await expectEachEventOnceAndFold();
  });

  it('throws once half-way through a later batch; the runner retries in the same process, applying each event once', async () => {
    const flaky = loggingProjection(db.recipientStatus(), 'only', { failMidBatch: { from, by: 'throw' } });
    // A recorded failure would wait a minute: catching up proves the retry came from splitting the batch at once.
    const runner = createProjectionRunner({ pool: db.pool, store: db.store, projections: [flaky.projection], log: quietLog, batch: 10, failureRetryMs: 60_000 });
    runner.start();
    try {
      await waitFor('the failure', () => flaky.seen.crashed);
      await waitFor('catch-up', caughtUp(db));
      expect(runner.states()[0]).toMatchObject({ applying: true, failed: null });
    } finally {
      await runner.stop();
    }
    expect(flaky.seen.failedAt.length).toBeGreaterThanOrEqual(2);
    await expectEachEventOnceAndFold();
  });
});
