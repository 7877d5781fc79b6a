import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { createTestDatabase } from '../support/database.js';
import { throwawayKeys } from '../support/throwawayKeys.js';
import { CHIYODA, person } from '../support/people.js';
import { makeCoupon } from '../fixtures/coupons/makeCoupon.js';
import { postScan } from '../integration/scans/multipart.js';
import { lineOf, otherCoupon } from '../integration/scans/scanCorpus.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { scanStatusTable, writeScanRows } from '../../src/scans/scanStatusProjection.js';
import type { RecordedEvent } from '../../src/eventstore/contract.js';
import { migrate } from '../../src/eventstore/postgres/migrate.js';
import { loadConfig } from '../../src/runtime/config.js';
import { openRuntime } from '../../src/runtime/openRuntime.js';
import { caughtUp } from '../integration/projections/support/caughtUp.js';
import { quietLog, waitFor } from '../integration/projections/support/projectionDb.js';

/**
 * `scan_status` (the review queue) is a projection of the scan events: dropped and rebuilt from the log it holds
 * exactly the rows the scan requests wrote, and the queue answers the same; the runner writing the same events
 * after the request changes nothing; the request still shows its own scan in the queue at once.
 */
describe('scan_status is a read model rebuilt from the scan events', () => {
  let t: TestApp;
  let site: Record<string, string>;
  const rows = async () => (await t.runtime.schema.owner.query('SELECT * FROM scan_status ORDER BY scan_id')).rows;
  const queue = async () => (await t.app.inject({ method: 'GET', url: '/v1/scans/review?limit=2', headers: site })).json();
  const queueAll = async () => {
    const pages: { items: unknown[]; nextCursor: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = (await t.app.inject({ method: 'GET', url: `/v1/scans/review?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: site })).json();
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);
    return pages;
  };
  const register = async (coupon: string) => {
    const headers = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers, payload: { ...person(Number(coupon.slice(-4)), CHIYODA), coupon } })).statusCode).toBe(201);
  };
  const upload = async (coupon: string, lot: string, seed: number) => {
    const image = await makeCoupon({ line: lineOf(1, CHIYODA, coupon), layout: 'chiyoda', variant: 'clean', qr: true, seed });
    const res = await postScan(t.app, site, image, { date: '2025-06-02', lot });
    expect(res.statusCode).toBe(201);
    return res.json() as { scanId: string; status: string };
  };
  const resolve = async (scanId: string, coupon: string) =>
    (await t.app.inject({ method: 'POST', url: `/v1/scans/${scanId}/resolve`, headers: site, payload: { line: lineOf(1, CHIYODA, coupon), lot: 'FA1234' } })).json();

  beforeAll(async () => {
    t = await createTestApp();
    site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
  });
  afterAll(async () => t?.close());

  it('shows a scan in the queue as soon as its request answers, with no projection runner in the process', async () => {
    const [a, b, c] = [otherCoupon(51), otherCoupon(52), otherCoupon(53)];
    for (const x of [a, b]) await register(x);
    expect((await upload(a, 'FA1234', 51)).status).toBe('recorded');
    const waiting = await upload(b, 'F', 52); // a lot that does not fit the maker
    expect(waiting.status).toBe('needs-review');
    expect((await queue()).items.map((i: { scanId: string }) => i.scanId)).toEqual([waiting.scanId]);
    const unknown = await upload(c, 'FA1234', 53); // nobody holds this coupon
    expect(unknown.status).toBe('needs-review');
    expect((await resolve(waiting.scanId, b)).status).toBe('recorded');
    expect((await resolve(unknown.scanId, otherCoupon(54))).status).toBe('needs-review'); // a typed line that names nobody either
    const q = await queue();
    expect(q.items).toEqual([expect.objectContaining({ scanId: unknown.scanId, reasons: ['unknown-coupon'], read: expect.objectContaining({ method: 'typed', coupon: otherCoupon(54) }) })]);
    expect(await rows()).toHaveLength(3);
  });

  it('dropped and rebuilt from the log, holds the same rows and answers the same queue', async () => {
    const before = await rows();
    const answers = await queueAll();
    await t.runtime.schema.owner.query('DROP TABLE scan_status');
    const r = await projectionsService(t.runtime).rebuild('scan_status');
    expect(r.projection).toBe('scan_status');
    expect(await rows()).toEqual(before);
    expect(await queueAll()).toEqual(answers);
  });

  it('the runner following the same events agrees with the rows the requests wrote, and keeps the queue current', async () => {
    const service = projectionsService(t.runtime);
    const byRequest = await rows();
    await service.start({ log: quietLog, lockRetryMs: 100 });
    await waitFor('scan_status at the head', caughtUp(t.runtime.pool, t.runtime.store, ['scan_status']));
    expect(await rows()).toEqual(byRequest);
    await register(otherCoupon(55));
    const more = await upload(otherCoupon(55), 'F', 55);
    await waitFor('scan_status at the head', caughtUp(t.runtime.pool, t.runtime.store, ['scan_status']));
    const now = await rows();
    expect(now).toHaveLength(byRequest.length + 1);
    expect(now.find((x) => x.scan_id === more.scanId)).toMatchObject({ status: 'needs-review', reasons: ['lot-pattern'] });
    await service.rebuild('scan_status');
    expect(await rows()).toEqual(now);
  });

  it('gives the same rows however the events are cut into batches (a scan goes on from its stored row)', async () => {
    const events: RecordedEvent[] = [];
    for await (const e of t.runtime.store.readAll()) if (e.stream.startsWith('scan-')) events.push(e);
    const owner = t.runtime.schema.owner;
    const expected = await rows();
    for (let cut = 1; cut < events.length; cut++) {
      await owner.query('DROP TABLE IF EXISTS scan_status_cut');
      await owner.query(scanStatusTable.create('scan_status_cut'));
      await writeScanRows(owner, 'scan_status_cut', events.slice(0, cut));
      await writeScanRows(owner, 'scan_status_cut', events.slice(cut));
      expect({ cut, rows: (await owner.query('SELECT * FROM scan_status_cut ORDER BY scan_id')).rows }).toEqual({ cut, rows: expected });
    }
    await owner.query('DROP TABLE scan_status_cut');
  });
});

describe('scans migration 2 on a database that kept scan_status the old way', () => {
  it('hands the table over to its projection and keeps leases apart', async () => {
    const db = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'vrs-scan-migration-'));
    const owner = new pg.Pool({ connectionString: db.url });
    try {
      // Migration 1 as an earlier release applied it.
      const before = [
        {
          id: 1,
          name: 'scan_status',
          sql: `CREATE TABLE scan_status (scan_id text PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY, site text NOT NULL, status text NOT NULL,
                  reasons jsonb NOT NULL DEFAULT '[]', rule_code text, method text NOT NULL, line text, municipality text, coupon text, dose smallint,
                  date text NOT NULL, maker text NOT NULL, lot text, image_sha256 text NOT NULL, version bigint NOT NULL, lease_until timestamptz,
                  scanned_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
                CREATE INDEX scan_status_site_status ON scan_status (site, status, seq);`,
        },
      ];
      await migrate(owner, 'scans', before);
      await owner.query(
        `INSERT INTO scan_status (scan_id, site, status, method, date, maker, image_sha256, version, lease_until) VALUES ('x', 'S001', 'needs-review', 'qr', '2025-06-02', 'pfizer', 'ab', 2, now())`,
      );
      const runtime = await openRuntime(loadConfig({ DATABASE_URL: db.url, VRS_DATA_DIR: dir, ...throwawayKeys() }));
      try {
        await projectionsService(runtime).ready();
        const columns = async (table: string) =>
          (await owner.query<{ c: string }>('SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).rows.map((r) => r.c);
        expect(await columns('scan_status')).not.toContain('lease_until');
        expect(await columns('scan_leases')).toEqual(['scan_id', 'lease_until']);
        expect(await columns('scan_status')).toContain('scanned_at');
        // The old rows were the request's; the projection fills the new table from the events (none here).
        expect((await runtime.pool.query('SELECT count(*)::int AS n FROM scan_status')).rows[0].n).toBe(0);
      } finally {
        await runtime.close();
      }
    } finally {
      await owner.end();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
