import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { projectionsService, type ProjectionsService } from '../../src/projections/projectionsService.js';
import { createProjectionRunner, type ProjectionRunner } from '../../src/projections/runner/createProjectionRunner.js';
import { caughtUp } from '../integration/projections/support/caughtUp.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import { CHIYODA, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const NAMES = ['ledger_log', 'recipient_status', 'scan_status', 'statistics'];

/** One sample of a per-projection metric in prom-client's text output (undefined when absent). */
const sample = (text: string, metric: string, projection: string): number | undefined => {
  const m = text.match(new RegExp(`^${metric}\\{projection="${projection}"\\} (\\S+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
};

/**
 * The lag gauges on /metrics follow the shared checkpoint table, whichever process applies: behind by exactly the
 * positions and store time between a stopped runner's checkpoint and the head, back to 0 once a runner caught up.
 */
describe('/metrics: projection lag', () => {
  let t: TestApp;
  let service: ProjectionsService;
  let chiyoda: Record<string, string>;
  let site: Record<string, string>;
  let registered = 0;

  const register = async (n: number) => {
    for (let i = 0; i < n; i++, registered++) {
      expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(registered) })).statusCode).toBe(201);
    }
  };
  const dose = async (who: number) => {
    const payload = { municipality: CHIYODA, coupon: person(who).coupon, doseNumber: 1, date: '2026-03-01', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' };
    expect((await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload })).statusCode).toBe(201);
  };
  /** A runner as another process would run it, reporting to this app's metrics. */
  const runUntilCaughtUp = async () => {
    const runner: ProjectionRunner = createProjectionRunner({ pool: t.runtime.pool, store: t.runtime.store, projections: service.projections, metrics: service.metrics, log: quiet, lockRetryMs: 100 });
    runner.start();
    try {
      await waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, NAMES));
    } finally {
      await runner.stop();
    }
  };
  const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  /** Scrapes until `check` holds (the lag is cached for a moment between scrapes); the last text otherwise. */
  const scrapeUntil = async (what: string, check: (text: string) => boolean) => {
    let text = '';
    try {
      await waitFor(what, async () => check((text = await scrape())));
    } catch (e) {
      throw new Error(`${(e as Error).message}; last scrape:\n${text.split('\n').filter((l) => l.startsWith('vrs_projection')).join('\n')}`);
    }
    return text;
  };
  const allAt = (metric: string, value: number) => (text: string) => NAMES.every((n) => sample(text, metric, n) === value);

  beforeAll(async () => {
    t = await createTestApp();
    service = projectionsService(t.runtime);
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    await register(5);
    await dose(0);
    await runUntilCaughtUp();
  });
  afterAll(async () => t.close());

  it('reads 0 behind once caught up, and counts each event applied once', async () => {
    const text = await scrapeUntil('0 positions behind', allAt('vrs_projection_positions_behind', 0));
    for (const n of NAMES) expect(sample(text, 'vrs_projection_seconds_behind', n)).toBe(0);
    const { rows } = await t.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    for (const n of NAMES) expect(sample(text, 'vrs_projection_events_applied_total', n)).toBe(rows[0].n);
  });

  it('reads exactly how far behind a stopped runner is, then 0 again after a runner catches up', async () => {
    // An idle spell before the new events: it is not lag (the oldest unapplied event has waited only since it came).
    const idle = 3;
    await new Promise((r) => setTimeout(r, idle * 1000));
    await register(3);
    await dose(1);
    await dose(2);
    const head = (await t.runtime.store.head())!;
    const { rows } = await t.runtime.pool.query<{ name: string; position: string; waiting_since: Date }>(
      `SELECT c.name, c.position, (SELECT recorded_at FROM events e WHERE e.position > c.position ORDER BY e.position LIMIT 1) AS waiting_since
         FROM projection_checkpoints c ORDER BY c.name`,
    );
    expect(rows.map((r) => r.name)).toEqual([...NAMES].sort());

    const expected = new Map(rows.map((r) => [r.name, { positions: Number(head.position - BigInt(r.position)), since: r.waiting_since.getTime() }]));
    const before = Date.now() - 1000; // the lag is cached for 500 ms per scrape
    const text = await scrapeUntil('the lag of the appended events', (s) => NAMES.every((n) => sample(s, 'vrs_projection_positions_behind', n) === expected.get(n)!.positions));
    const scraped = Date.now();
    for (const n of NAMES) {
      const e = expected.get(n)!;
      expect(e.positions).toBeGreaterThan(0);
      const seconds = sample(text, 'vrs_projection_seconds_behind', n);
      expect(seconds).toBeGreaterThanOrEqual((before - e.since) / 1000);
      expect(seconds).toBeLessThanOrEqual((scraped - e.since) / 1000);
      expect(seconds).toBeLessThan(idle);
      expect(sample(text, 'vrs_projection_failed', n)).toBe(0);
    }
    // The admin list, read from the same table, agrees.
    const admin = await t.auth('admin', { sub: 'admin-1' });
    const list = (await t.app.inject({ method: 'GET', url: '/v1/admin/projections', headers: admin })).json().projections as { name: string; positionsBehind: number; error: string | null }[];
    expect(list.map((p) => [p.name, p.positionsBehind, p.error])).toEqual(NAMES.map((n) => [n, expected.get(n)!.positions, null]));

    // This process now applies (as `vrs serve` does): the lag goes back to 0, and /readyz says ready with none.
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    await waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, NAMES));
    const after = await scrapeUntil('0 positions behind after catch-up', allAt('vrs_projection_positions_behind', 0));
    for (const n of NAMES) expect(sample(after, 'vrs_projection_seconds_behind', n)).toBe(0);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const detail = ready.json().checks.find((c: { name: string }) => c.name === 'projections').detail as { name: string; positionsBehind: number }[];
    expect(detail.map((d) => [d.name, d.positionsBehind])).toEqual(NAMES.map((n) => [n, 0]));
  });

  it('reads the age of a write transaction left open in another session (as the server role, which cannot see its query)', async () => {
    const open = new pg.Client({ connectionString: t.runtime.config.DATABASE_URL });
    await open.connect();
    try {
      await open.query('BEGIN');
      await open.query('SELECT pg_current_xact_id()');
      await scrape(); // first seen here: the server's role may not read another role's start time
      // Short: an open write holds back every reader in the cluster, other test files' too.
      await new Promise((r) => setTimeout(r, 400));
      const text = await scrape();
      const age = Number(/^vrs_log_oldest_open_write_seconds (\S+)$/m.exec(text)?.[1]);
      expect(age).toBeGreaterThanOrEqual(0.4);
    } finally {
      await open.query('ROLLBACK');
      await open.end();
    }
  });
});
