import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createTestStore } from '../../support/pgStore.js';
import { migrate } from '../../../src/eventstore/postgres/migrate.js';
import { personalMigrations } from '../../../src/personal/migrations.js';
import { createDataKeys } from '../../../src/personal/dataKeys.js';

/**
 * The data-key cache is bounded and drops keys not used lately (two generations of at most max/2 each). What is cached is answered without the
 * table; to see which keys are still cached, the test deletes the rows underneath it.
 */
describe('data-key cache', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    t = await createTestStore();
    await migrate(t.store.pool, 'personal', personalMigrations);
  });
  afterAll(async () => t.cleanup());

  it('keeps the recently used keys and drops one not used since it aged', async () => {
    const keys = createDataKeys(t.store.pool, randomBytes(32), 4);
    const made = await keys.forStreams(['r-a', 'r-b']); // a full young generation: a and b age
    expect(await keys.get('r-a')).toEqual(made.get('r-a')); // a is young again
    const c = (await keys.forStreams(['r-c'])).get('r-c'); // young (a, c) is full again: b goes with the old one
    await t.store.pool.query(`DELETE FROM recipient_keys WHERE stream IN ('r-a', 'r-b', 'r-c')`);
    expect(await keys.get('r-a')).toEqual(made.get('r-a'));
    expect(await keys.get('r-c')).toEqual(c);
    expect(await keys.get('r-b')).toBeNull();
  });

  it('does not cache the keys a bulk import creates', async () => {
    const keys = createDataKeys(t.store.pool, randomBytes(32), 10);
    const made = await keys.forStreams(['i-a', 'i-b'], { cache: false });
    expect(made.size).toBe(2);
    await t.store.pool.query(`DELETE FROM recipient_keys WHERE stream = 'i-a'`);
    expect(await keys.get('i-a')).toBeNull();
    expect(await keys.get('i-b')).toEqual(made.get('i-b')); // from the table
  });
});
