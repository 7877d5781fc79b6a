import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import type { RebuildProgress } from '../../../src/projections/rebuild/rebuildProjection.js';
import { rebuildProjection } from '../../../src/projections/rebuild/rebuildProjection.js';
import { foldEveryStream, tableRows } from './support/expectedRows.js';
import { runSteps, stepArb } from './support/ledgerSteps.js';
import { createProjectionDb, type ProjectionDb } from './support/projectionDb.js';

/**
 * Readers see a commit only once every older transaction in the cluster has ended (so none is skipped). A rebuild
 * run with no runner behind it (`vrs rebuild`, a restore) must still swap in a table that holds everything
 * committed before it began.
 */
describe('a rebuild holds every event committed before it began', () => {
  let db: ProjectionDb;
  beforeAll(async () => {
    db = await createProjectionDb();
    await runSteps(db.ledger, fc.sample(stepArb(12), { numRuns: 20, seed: 11 }));
  });
  afterAll(async () => db.cleanup());

  it('waits while a transaction open when it started holds commits back, then swaps in all of them', async () => {
    const open = new pg.Client({ connectionString: db.url });
    await open.connect();
    try {
      await open.query('BEGIN');
      await open.query('SELECT pg_current_xact_id()'); // a writer's transaction: it holds an id
      await runSteps(db.ledger, fc.sample(stepArb(12), { numRuns: 20, seed: 12 })); // committed behind it
      const phases: RebuildProgress['phase'][] = [];
      let finished = false;
      const rebuilt = rebuildProjection({ pool: db.pool, store: db.store, projection: db.recipientStatus(), onProgress: (p) => phases.push(p.phase) });
      void rebuilt.then(() => (finished = true), () => {});
      await new Promise((r) => setTimeout(r, 400));
      expect(finished).toBe(false);
      expect(phases).toEqual(['settle']);
      await open.query('ROLLBACK');
      await rebuilt;
      expect(phases.at(-1)).toBe('done');
    } finally {
      await open.end();
    }
    expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(await foldEveryStream(db.store, db.dataKeys));
  });
});
