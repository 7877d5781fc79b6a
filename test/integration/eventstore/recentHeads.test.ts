import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestStore } from '../../support/pgStore.js';
import { createPostgresEventStore } from '../../../src/eventstore/postgres/store.js';
import { verifyChains } from '../../../src/eventstore/verifyChains.js';

/**
 * A store appends to a stream it wrote last without reading the head first. When another process wrote the
 * stream in between, that remembered head is stale: the append must still land after the other's event, with a
 * valid chain, and an exact expectation built on the stale head must still be refused.
 */
describe('heads remembered by a process', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let other: ReturnType<typeof createPostgresEventStore>;
  beforeAll(async () => {
    t = await createTestStore();
    other = createPostgresEventStore({ connectionString: t.url });
  });
  afterAll(async () => {
    await other.close();
    await t.cleanup();
  });

  it('recovers from a head another process moved', async () => {
    const stream = 'shared-1';
    await t.store.append(stream, [{ type: 'A', data: {} }], { expected: 'no_stream' });
    await other.append(stream, [{ type: 'B', data: {} }], { expected: 'any' });
    const mine = await t.store.append(stream, [{ type: 'C', data: {} }], { expected: 'any' });
    expect(mine.nextExpectedVersion).toBe(3n);
    await other.append(stream, [{ type: 'D', data: {} }], { expected: 3n });
    await expect(t.store.append(stream, [{ type: 'E', data: {} }], { expected: 3n })).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT' });
    const types: string[] = [];
    for await (const e of t.store.readStream(stream)) types.push(e.type);
    expect(types).toEqual(['A', 'B', 'C', 'D']);
    expect((await verifyChains(t.store)).breaks).toEqual([]);
  });
});
