import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createTestStore } from '../../support/pgStore.js';
import { migrate } from '../../../src/eventstore/postgres/migrate.js';
import { personalMigrations } from '../../../src/personal/migrations.js';
import { createDataKeys } from '../../../src/personal/dataKeys.js';

/** What one cached key of a stream named like 'r-a' is counted as: Map slot 48 + name 24 + key 48. */
const ENTRY = 120;

/**
 * The data-key cache is bounded by bytes and drops keys not used lately (two generations of at most half each). What is cached is answered without the
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
    const keys = createDataKeys(t.store.pool, randomBytes(32), 4 * ENTRY);
    const made = await keys.forStreams(['r-a', 'r-b']); // a full young generation (two keys)
    const c = (await keys.forStreams(['r-c'])).get('r-c'); // no room: a and b age, c is young
    expect(await keys.get('r-a')).toEqual(made.get('r-a')); // a is young again
    const d = (await keys.forStreams(['r-d'])).get('r-d'); // young (c, a) is full: b goes with the old one
    await t.store.pool.query(`DELETE FROM recipient_keys WHERE stream IN ('r-a', 'r-b', 'r-c', 'r-d')`);
    expect(await keys.get('r-a')).toEqual(made.get('r-a'));
    expect(await keys.get('r-c')).toEqual(c);
    expect(await keys.get('r-d')).toEqual(d);
    expect(await keys.get('r-b')).toBeNull();
  });

  it('does not cache the keys a bulk import creates', async () => {
    const keys = createDataKeys(t.store.pool, randomBytes(32), 10 * ENTRY);
    const made = await keys.forStreams(['i-a', 'i-b'], { cache: false });
    expect(made.size).toBe(2);
    await t.store.pool.query(`DELETE FROM recipient_keys WHERE stream = 'i-a'`);
    expect(await keys.get('i-a')).toBeNull();
    expect(await keys.get('i-b')).toEqual(made.get('i-b')); // from the table
  });

  it('never holds more than its bound in bytes, and a cached key is the key', async () => {
    const bound = 50 * ENTRY;
    const kek = randomBytes(32);
    const keys = createDataKeys(t.store.pool, kek, bound);
    const streams = Array.from({ length: 400 }, (_, i) => `b-${i}`);
    const made = new Map<string, Buffer>();
    for (let i = 0; i < streams.length; i += 20) {
      for (const [s, k] of await keys.forStreams(streams.slice(i, i + 20))) made.set(s, k);
      expect(keys.cached().bytes).toBeLessThanOrEqual(bound);
    }
    expect(keys.cached().entries).toBeGreaterThan(10);
    expect(keys.cached().entries).toBeLessThan(400);
    // Served from the cache (the latest) and from the table (the first, long evicted), each the key made.
    expect(await keys.get('b-399')).toEqual(made.get('b-399'));
    expect(await keys.get('b-0')).toEqual(made.get('b-0'));
    expect((await createDataKeys(t.store.pool, kek, 0).getMany(['b-399'])).get('b-399')).toEqual(made.get('b-399'));
  });
});
