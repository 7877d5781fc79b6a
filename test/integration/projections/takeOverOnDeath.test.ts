import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { recipientEventTypes } from '../../../src/domain/index.js';
import { createPostgresEventStore } from '../../../src/eventstore/postgres/store.js';
import { createProjectionRunner, type ProjectionRunner } from '../../../src/projections/runner/createProjectionRunner.js';
import { checkpointPosition } from './support/caughtUp.js';
import { foldEveryStream, tableRows } from './support/expectedRows.js';
import { runSteps, stepArb } from './support/ledgerSteps.js';
import { createAppliedLog, loggingProjection, type Fault } from './support/loggingProjection.js';
import { createProjectionDb, quietLog, waitFor, type ProjectionDb } from './support/projectionDb.js';
import { lockHolderPid, terminateBackend } from './support/sessions.js';

const steps = (n: number, seed: number, offset = 0) => fc.sample(stepArb(8), { numRuns: n, seed }).map((s) => ({ ...s, who: s.who + offset }));

describe('projection runner: the lock holder dies (its session is killed, no stop())', () => {
  let db: ProjectionDb;
  let storeB: ReturnType<typeof createPostgresEventStore>;
  let a: ProjectionRunner | null;
  let b: ProjectionRunner | null;
  let tries: number;
  beforeEach(async () => {
    db = await createProjectionDb();
    await createAppliedLog(db.pool);
    // Process B: its own store, tail and pool, as another process would have.
    storeB = createPostgresEventStore({ connectionString: db.url, pollMs: 50 });
    tries = 0;
  });
  afterEach(async () => {
    await a?.stop();
    await b?.stop();
    await storeB.close();
    await db.cleanup();
  });

  /** A, which once dead waits a minute before trying the lock again (so whoever applies after the kill is B), and B. */
  const runners = (faultA: Fault = {}) => {
    const sa = loggingProjection(db.recipientStatus(), 'a', faultA);
    a = createProjectionRunner({ pool: db.pool, store: db.store, projections: [sa.projection], log: quietLog, batch: 10, lockRetryMs: 60_000 });
    // B's pool counts the sessions B opens to try the lock (each try is one).
    const poolB = Object.assign(Object.create(storeB.pool) as pg.Pool, { connect: () => (tries++, storeB.pool.connect()) });
    b = createProjectionRunner({ pool: poolB, store: storeB, projections: [loggingProjection(db.recipientStatus(), 'b').projection], log: quietLog, batch: 10, lockRetryMs: 50 });
    return { a, b, seenA: sa.seen };
  };
  /** B has tried the lock a few times and not got it: A holds it. Then A's session is killed from outside. */
  const killHolderWhileBWaits = async (a: ProjectionRunner, b: ProjectionRunner) => {
    b.start();
    await waitFor('B to try the lock a few times', () => tries >= 3);
    expect(a.states()[0].applying).toBe(true);
    expect(b.states()[0].applying).toBe(false);
    const holder = await lockHolderPid(db.pool, 'recipient_status');
    expect(holder).not.toBeNull();
    expect(await terminateBackend(db.pool, holder!)).toBe(true);
    await waitFor('take-over by B', () => b.states()[0].applying);
    expect(await lockHolderPid(db.pool, 'recipient_status')).not.toBe(holder);
  };
  const caughtUp = async () => (await checkpointPosition(db.pool, 'recipient_status')) === (await db.store.head())?.position;

  /** Each event applied once, all of A's before all of B's, the table is the fold, no failure recorded. */
  const expectExactlyOnce = async () => {
    const { rows } = await db.pool.query<{ position: string; runner: string }>('SELECT position, runner FROM applied_log ORDER BY position');
    const byA = rows.filter((r) => r.runner === 'a').map((r) => BigInt(r.position));
    const byB = rows.filter((r) => r.runner === 'b').map((r) => BigInt(r.position));
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
    expect(byA[byA.length - 1]).toBeLessThan(byB[0]); // A applied nothing once B had taken over
    const { rows: recipient } = await db.pool.query<{ position: string }>('SELECT position FROM events WHERE type = ANY($1) ORDER BY position', [recipientEventTypes]);
    expect(rows.map((r) => r.position)).toEqual(recipient.map((r) => r.position));
    expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(await foldEveryStream(db.store, db.dataKeys));
    const { rows: cp } = await db.pool.query("SELECT error FROM projection_checkpoints WHERE name = 'recipient_status'");
    expect(cp[0].error).toBeNull();
    return { byA, byB };
  };

  it('killed while writers keep appending: B takes the lock and carries on; each event applied once, the table equals the fold', async () => {
    const { a, b } = runners();
    await runSteps(db.ledger, steps(40, 51), 0);
    a.start();
    await waitFor('A applying', async () => a.states()[0].applying && (await checkpointPosition(db.pool, 'recipient_status')) > 0n);
    // Writers keep going while A's session is killed, so A may be anywhere: idle, reading or mid-batch.
    const writing = Promise.all([runSteps(db.ledger, steps(40, 52, 20), 1), runSteps(db.ledger, steps(40, 53, 40), 2)]);
    await killHolderWhileBWaits(a, b);
    await writing;
    await runSteps(db.ledger, steps(20, 54, 60), 3); // and more after the take-over
    await waitFor('catch-up', caughtUp);
    await waitFor('A to notice its session is gone', () => !a.states()[0].applying);
    await expectExactlyOnce();
  });

  it('killed in the middle of a batch (half its rows written, its transaction open): B applies that batch whole, once', async () => {
    await runSteps(db.ledger, steps(80, 61), 0);
    const { rows } = await db.pool.query<{ position: string }>('SELECT position FROM events WHERE type = ANY($1) ORDER BY position', [recipientEventTypes]);
    let resume!: () => void;
    const { a, b, seenA } = runners({ holdMidBatch: { from: BigInt(rows[Math.floor(rows.length * 0.6)].position), until: new Promise((r) => (resume = r)) } });
    try {
      a.start();
      await waitFor('A held mid-batch', () => seenA.held.length > 0);
      const at = await checkpointPosition(db.pool, 'recipient_status');
      expect(at).toBeGreaterThan(0n); // earlier batches committed
      expect(at).toBeLessThan(seenA.held[0]);
      await killHolderWhileBWaits(a, b);
      await waitFor('catch-up', caughtUp);
      const { byA, byB } = await expectExactlyOnce();
      expect(byA[byA.length - 1]).toBe(at); // A's commits are the ones before the held batch
      expect(byB.slice(0, seenA.held.length)).toEqual(seenA.held); // B applied the held batch, from its first event
    } finally {
      resume();
    }
    await waitFor('A to find its session gone', () => !a.states()[0].applying);
    await expectExactlyOnce(); // A's late half-batch wrote nothing
  });
});
