import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestStore } from '../../support/pgStore.js';
import { verifyChains } from '../../../src/eventstore/verifyChains.js';

describe('append-only events and tamper evidence', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    t = await createTestStore();
    await t.store.append('recipient-131016-0000000001', [
      { type: 'A', data: { lot: 'FA1234' } },
      { type: 'B', data: { lot: 'FA1234' } },
      { type: 'C', data: { lot: 'FA1234' } },
    ]);
    await t.store.append('recipient-131016-0000000002', [{ type: 'A', data: { lot: 'EW0001' } }]);
  });
  afterAll(async () => t.cleanup());

  it('refuses UPDATE, DELETE and TRUNCATE of events', async () => {
    await expect(t.store.pool.query(`UPDATE events SET data = '{}'`)).rejects.toMatchObject({ code: 'VRS10' });
    await expect(t.store.pool.query(`DELETE FROM events`)).rejects.toMatchObject({ code: 'VRS10' });
    await expect(t.store.pool.query(`TRUNCATE events`)).rejects.toMatchObject({ code: 'VRS10' });
    expect((await verifyChains(t.store)).breaks).toEqual([]);
  });

  it('reports the edited event when a superuser bypasses the trigger', async () => {
    await t.store.pool.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await t.store.pool.query(
      `UPDATE events SET data = '{"lot":"FA9999"}' WHERE stream = 'recipient-131016-0000000001' AND version = 2`,
    );
    await t.store.pool.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    const report = await verifyChains(t.store);
    expect(report.breaks).toEqual([
      expect.objectContaining({ stream: 'recipient-131016-0000000001', version: 2n, why: 'hash mismatch' }),
    ]);
    expect(report.events).toBe(4);
  });

  it('reports a deleted event as a gap in the chain', async () => {
    await t.store.pool.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await t.store.pool.query(`DELETE FROM events WHERE stream = 'recipient-131016-0000000002'`);
    await t.store.pool.query(`DELETE FROM events WHERE stream = 'recipient-131016-0000000001' AND version = 1`);
    await t.store.pool.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    const report = await verifyChains(t.store);
    expect(report.breaks[0]).toMatchObject({ stream: 'recipient-131016-0000000001', version: 2n, why: 'missing version' });
  });
});
