import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createTestStore } from '../../support/pgStore.js';
import { migrate } from '../../../src/eventstore/postgres/migrate.js';
import { personalMigrations } from '../../../src/personal/migrations.js';
import { createDataKeys } from '../../../src/personal/dataKeys.js';

/**
 * The data-key cache is bounded and drops the least recently used key. What is cached is answered without the
 * table; to see which keys are still cached, the test deletes the rows underneath it.
 */
describe('data-key cache', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    t = await createTestStore();
    await migrate(t.store.pool, 'personal', personalMigrations);
  });
  afterAll(async () => t.cleanup());

  it('keeps the recently used keys and drops the least recently used one', async () => {
    const keys = createDataKeys(t.store.pool, randomBytes(32), 2);
    const made = await keys.forStreams(['r-a', 'r-b']);
    expect(await keys.get('r-a')).toEqual(made.get('r-a')); // a is now the most recently used
    const c = (await keys.forStreams(['r-c'])).get('r-c'); // the cache is full: b goes
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
