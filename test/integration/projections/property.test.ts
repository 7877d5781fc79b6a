import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { rebuildProjection } from '../../../src/projections/rebuild/rebuildProjection.js';
import { createProjectionRunner, type ProjectionRunner } from '../../../src/projections/runner/createProjectionRunner.js';
import { foldEveryStream, storedRows, tableRows } from './support/expectedRows.js';
import { runSteps, stepArb } from './support/ledgerSteps.js';
import { createProjectionDb, quietLog, waitFor, type ProjectionDb } from './support/projectionDb.js';

describe('recipient_status: incremental == rebuilt == fold', () => {
  let db: ProjectionDb;
  let runner: ProjectionRunner;
  beforeAll(async () => {
    db = await createProjectionDb();
    // Small batches so a person's events are split across batches and folded onto stored rows.
    runner = createProjectionRunner({ pool: db.pool, store: db.store, projections: [db.recipientStatus()], log: quietLog, batch: 7 });
    runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await db.cleanup();
  });

  /**
   * A rebuild, like the fold of every stream, first waits for every transaction open in the cluster (settle). If one
   * from another test file stays open (or the work hangs), fail within a minute naming the open sessions, not at
   * the test's timeout with nothing to go on.
   */
  const within = async <T,>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(async () => {
        abort.abort();
        reject(new Error(`${what} did not finish within 60 s; open writes: ${JSON.stringify(await db.store.openWrites!())}`));
      }, 60_000);
    });
    try {
      return await Promise.race([work(abort.signal), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const rebuild = (options: Partial<Parameters<typeof rebuildProjection>[0]>) =>
    within(`rebuild ${JSON.stringify(options)}`, (signal) => rebuildProjection({ pool: db.pool, store: db.store, projection: db.recipientStatus(), batch: 13, signal, ...options }));

  const caughtUp = async () => {
    const { rows } = await db.pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE name = 'recipient_status'");
    return BigInt(rows[0]?.position ?? -1) === (await db.store.head())?.position;
  };

  it('holds for random valid command sequences over many recipients (histories accumulate across runs)', async () => {
    let run = 0;
    let written = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb(12), { minLength: 10, maxLength: 60 }), async (steps) => {
        run++;
        // Each run acts on its own people (and some of the earlier ones), so the log keeps growing.
        const r = await runSteps(db.ledger, steps.map((s) => ({ ...s, who: s.who + run * 8 })), run);
        written += r.written;
        await waitFor('incremental catch-up', caughtUp);
        const incremental = await tableRows(db.pool, db.dataKeys.getMany);
        const fold = await within('fold of every stream', () => foldEveryStream(db.store, db.dataKeys));
        expect(incremental).toEqual(fold);
        // Column for column (blind indexes, fold state, versions) what the live runner wrote.
        const live = await storedRows(db.pool);
        // Rebuilt while the runner keeps running; the runner then carries on from the swapped-in table.
        await rebuild({});
        expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(fold);
        // With room for only three streams in memory the bulk load writes rows early and must take them back
        // (or reload and upsert them) when a stream shows up again: the same table all the same.
        await rebuild({ memoryLimit: 3 });
        expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(fold);
        // The same with the fold in two worker threads (each holding the streams that hash to it), written out
        // early and taken back or reloaded across them.
        await rebuild({ memoryLimit: 3, workers: 2 });
        expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(fold);
        expect(await storedRows(db.pool)).toEqual(live);
      }),
      // No shrinking: each run rebuilds three times, and a failure under a busy CI must be reported, not retried to the timeout.
      { numRuns: 8, seed: 4242, endOnFailure: true },
    );
    expect(written).toBeGreaterThan(100); // not vacuous
    const { rows } = await db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM recipient_status GROUP BY status');
    expect(rows.map((r) => r.status).sort()).toEqual(['active', 'erased', 'transferred-out']);
   }, 180_000); // three rebuilds per run, one starting two worker threads: past jest's default on a busy machine
});
