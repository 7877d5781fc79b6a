import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ReadAllOptions } from '../../src/eventstore/contract.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { caughtUp } from '../integration/projections/support/caughtUp.js';
import { foldEveryStream, tableRows } from '../integration/projections/support/expectedRows.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import { CHIYODA, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const kanas = ['ヤマダ タロウ', 'スズキ ハナコ', 'サトウ ジロウ'];

type Item = { coupon: string };

/**
 * While a rebuild of recipient_status runs, search keeps answering from the live table (which the runner keeps
 * applying to), and what was appended during the rebuild is in the table that is swapped in. The rebuild is
 * held at its bulk read of the log (a gate in front of the store's readAllBulk: a long log, without waiting).
 */
describe('search during a recipient_status rebuild', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  let site: Record<string, string>;
  let admin: Record<string, string>;
  let registered = 0;

  const search = (query: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query: { limit: '200', ...query } });
  const coupons = (items: Item[]) => items.map((i) => i.coupon).sort();
  const register = async (n: number) => {
    for (let i = 0; i < n; i++, registered++) {
      const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(registered), nameKana: kanas[registered % kanas.length] } });
      expect(r.statusCode).toBe(201);
    }
  };
  const dose = async (who: number, doseNumber: number, date: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: site,
      payload: { municipality: CHIYODA, coupon: person(who).coupon, doseNumber, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' },
    });
    expect(r.statusCode).toBe(201);
  };
  const allCaughtUp = () => waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, ['recipient_status', 'statistics']));
  const liveTableOid = async () => (await t.runtime.pool.query<{ oid: number }>("SELECT 'recipient_status'::regclass::oid::int AS oid")).rows[0].oid;
  const rebuildOf = async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/v1/admin/projections', headers: admin })).json();
    return list.projections.find((p: { name: string }) => p.name === 'recipient_status').rebuild as { phase: string } | null;
  };

  /** Holds a rebuild's bulk read of the log (as parsed JSON or as text) after its first batch until released: a long log, without waiting. */
  const gateBulkRead = () => {
    const store = t.runtime.store;
    const readAllBulk = store.readAllBulk!.bind(store);
    const readAllBulkText = store.readAllBulkText?.bind(store);
    let held = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gated = <T>(read: (o?: ReadAllOptions) => AsyncIterable<T[]>) =>
      async function* (o?: ReadAllOptions): AsyncGenerator<T[]> {
        let first = true;
        for await (const batch of read(o)) {
          if (first) {
            first = false;
            held = true;
            await gate;
          }
          yield batch;
        }
      };
    store.readAllBulk = gated(readAllBulk);
    if (readAllBulkText) store.readAllBulkText = gated(readAllBulkText);
    return {
      held: () => held,
      release: () => release(),
      restore: () => {
        release();
        store.readAllBulk = readAllBulk;
        if (readAllBulkText) store.readAllBulkText = readAllBulkText;
      },
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    admin = await t.auth('admin', { sub: 'admin-1' });
    await register(30);
    for (let i = 0; i < 10; i++) await dose(i, 1, '2026-03-01');
    await allCaughtUp();
  });
  afterAll(async () => t.close());

  it('answers 200 from the old table throughout, and the swapped-in table holds what was appended meanwhile', async () => {
    const before = (await search()).json().items as Item[];
    expect(before).toHaveLength(30);
    const oldTable = await liveTableOid();

    const gate = gateBulkRead();
    try {
      const started = await t.app.inject({ method: 'POST', url: '/v1/admin/projections/recipient_status/rebuild', headers: admin });
      expect(started.statusCode).toBe(202);
      await waitFor('the rebuild to reach the log', gate.held);
      expect(await rebuildOf()).toMatchObject({ phase: 'load' });
      const { rows: shadow } = await t.runtime.pool.query("SELECT to_regclass('recipient_status__rebuild') IS NOT NULL AS exists");
      expect(shadow[0].exists).toBe(true);

      // Mid-rebuild: the old table answers, unchanged...
      const during = await search();
      expect(during.statusCode).toBe(200);
      expect(during.json().items).toEqual(before);
      // ...and the runner keeps applying to it: what is appended now shows up before the swap.
      await register(6);
      for (let i = 10; i < 15; i++) await dose(i, 1, '2026-03-02');
      await dose(0, 2, '2026-04-01');
      await allCaughtUp();
      expect(await liveTableOid()).toBe(oldTable);
      const meanwhile = (await search()).json().items as Item[];
      expect(meanwhile).toHaveLength(36);
      expect(await rebuildOf()).toMatchObject({ phase: 'load' }); // still held: all of the above was during the rebuild

      // Search without pause while the rebuild loads, catches up and swaps.
      const statuses: number[] = [];
      const lost: string[] = [];
      let done = false;
      const searching = (async () => {
        while (!done) {
          const r = await search();
          statuses.push(r.statusCode);
          if (r.statusCode === 200) {
            const seen = new Set(coupons(r.json().items));
            lost.push(...coupons(meanwhile).filter((c) => !seen.has(c)));
          }
        }
      })();
      gate.release();
      await waitFor('the rebuild to finish', async () => (await rebuildOf()) === null);
      done = true;
      await searching;
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(lost).toEqual([]); // no answer during the swap missed a row
    } finally {
      gate.restore();
    }

    expect(await liveTableOid()).not.toBe(oldTable); // the rebuilt table was swapped in
    const { rows: shadow } = await t.runtime.pool.query("SELECT to_regclass('recipient_status__rebuild') IS NOT NULL AS exists");
    expect(shadow[0].exists).toBe(false);
    await allCaughtUp();
    expect(await tableRows(t.runtime.pool, t.runtime.dataKeys.getMany)).toEqual(await foldEveryStream(t.runtime.store, t.runtime.dataKeys));
    const after = (await search()).json().items as Item[];
    expect(after).toHaveLength(36);

    // The runner carries on over the swapped-in table.
    await register(2);
    await dose(20, 1, '2026-05-01');
    await allCaughtUp();
    expect(await tableRows(t.runtime.pool, t.runtime.dataKeys.getMany)).toEqual(await foldEveryStream(t.runtime.store, t.runtime.dataKeys));
    expect((await search()).json().items).toHaveLength(38);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });

  it('a search arriving while the swap is being committed waits for it and answers 200 from the rebuilt table', async () => {
    const db = new pg.Client({ connectionString: t.dbUrl });
    await db.connect();
    // Test-only hook: the swap's checkpoint update (the shadow already renamed, in its transaction) waits for a
    // lock the test holds, so the swap stays open with the live table dropped and the shadow in its place.
    await db.query(`CREATE FUNCTION test_hold_swap() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF to_regclass('recipient_status__rebuild') IS NULL THEN PERFORM pg_advisory_xact_lock_shared(424242); END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_hold_swap BEFORE UPDATE ON projection_checkpoints FOR EACH ROW
      WHEN (NEW.name = 'recipient_status') EXECUTE FUNCTION test_hold_swap()`);
    const oldTable = await liveTableOid();
    const expected = coupons((await search()).json().items);
    const gate = gateBulkRead();
    let locked = false;
    try {
      expect((await t.app.inject({ method: 'POST', url: '/v1/admin/projections/recipient_status/rebuild', headers: admin })).statusCode).toBe(202);
      await waitFor('the rebuild to reach the log', gate.held);
      await db.query('SELECT pg_advisory_lock(424242)');
      locked = true;
      gate.release();
      const waiting = async (locktype: string, extra = 'true') =>
        Number((await db.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = $1 AND NOT granted AND ${extra}`, [locktype])).rows[0].n) > 0;
      await waitFor('the swap to wait', () => waiting('advisory', 'objid = 424242'));
      expect(await rebuildOf()).toMatchObject({ phase: 'swap' });

      const answer = search();
      await waitFor('the search to wait for the swap', () => waiting('relation', `relation = ${oldTable}`));
      await db.query('SELECT pg_advisory_unlock(424242)');
      locked = false;
      const r = await answer;
      expect(r.statusCode).toBe(200);
      expect(coupons(r.json().items)).toEqual(expected);
      await waitFor('the rebuild to finish', async () => (await rebuildOf()) === null);
      expect(await liveTableOid()).not.toBe(oldTable);
    } finally {
      gate.restore();
      if (locked) await db.query('SELECT pg_advisory_unlock(424242)');
      await db.query('DROP TRIGGER IF EXISTS test_hold_swap ON projection_checkpoints');
      await db.query('DROP FUNCTION IF EXISTS test_hold_swap()');
      await db.end();
    }
    await allCaughtUp();
    expect(await tableRows(t.runtime.pool, t.runtime.dataKeys.getMany)).toEqual(await foldEveryStream(t.runtime.store, t.runtime.dataKeys));
  });
});
