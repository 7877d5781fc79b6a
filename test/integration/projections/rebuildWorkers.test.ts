import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { recipientStream } from '../../../src/domain/index.js';
import { rebuildProjection } from '../../../src/projections/rebuild/rebuildProjection.js';
import { tableRows } from './support/expectedRows.js';
import { runSteps, stepArb } from './support/ledgerSteps.js';
import { createProjectionDb, type ProjectionDb } from './support/projectionDb.js';

/** A rebuild's bulk load folds in worker threads: a failure there must end the rebuild, not hang it or swap anything in. */
describe('recipient_status rebuild with worker threads', () => {
  let db: ProjectionDb;
  beforeAll(async () => {
    db = await createProjectionDb();
    await runSteps(db.ledger, fc.sample(stepArb(12), { numRuns: 60, seed: 7 }));
    await rebuildProjection({ pool: db.pool, store: db.store, projection: db.recipientStatus(), workers: 2 });
  });
  afterAll(async () => db.cleanup());

  it.each([0, 2])('an event a folder cannot open (workers: %i) fails the rebuild; the shadow is dropped and the live table stays', async (workers) => {
    const before = await tableRows(db.pool, db.dataKeys.getMany);
    expect(before.length).toBeGreaterThan(0);
    // A registration whose sealed personal fields do not open under the stream's key (AES-GCM refuses them).
    const stream = recipientStream('131016', `99000000${workers}0`);
    await db.dataKeys.forStreams([stream]);
    await db.store.append(stream, [
      {
        type: 'RecipientRegistered',
        data: { municipality: '131016', coupon: `99000000${workers}0`, sex: 'F', medicalWorker: false, personalSealed: Buffer.alloc(40, 1).toString('base64') },
      },
    ]);
    await expect(rebuildProjection({ pool: db.pool, store: db.store, projection: db.recipientStatus(), workers, memoryLimit: 5 })).rejects.toThrow(/authenticate/);
    const { rows } = await db.pool.query<{ shadow: string | null }>("SELECT to_regclass('recipient_status__rebuild')::text AS shadow");
    expect(rows[0].shadow).toBeNull();
    expect(await tableRows(db.pool, db.dataKeys.getMany)).toEqual(before);
  });
});
