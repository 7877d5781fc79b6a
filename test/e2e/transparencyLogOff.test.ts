import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/runtime/config.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { caughtUp } from '../integration/projections/support/caughtUp.js';
import { quietLog, waitFor } from '../integration/projections/support/projectionDb.js';
import { CHIYODA, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

/**
 * VRS_TRANSPARENCY_LOG=off (to measure the log's cost) leaves the projection `ledger_log` out of the running
 * service: the other read models still follow every event, the log gets no leaf. On (the default), it does.
 */
describe('VRS_TRANSPARENCY_LOG', () => {
  const apps: TestApp[] = [];

  const recordSome = async (env: Record<string, string>) => {
    const t = await createTestApp({ env });
    apps.push(t);
    const chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    const site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(i) })).statusCode).toBe(201);
    const payload = { municipality: CHIYODA, coupon: person(0).coupon, doseNumber: 1, date: '2026-03-01', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' };
    expect((await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload })).statusCode).toBe(201);
    await projectionsService(t.runtime).start({ log: quietLog, lockRetryMs: 100 });
    await waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, ['recipient_status', 'statistics']));
    const count = async (sql: string) => (await t.runtime.schema.owner.query<{ n: number }>(sql)).rows[0].n;
    return {
      t,
      events: await count('SELECT count(*)::int AS n FROM events'),
      /** Leaves in the log (none while its table was never made). */
      leaves: async () =>
        (await t.runtime.schema.owner.query(`SELECT to_regclass('ledger_log_leaves') AS t`)).rows[0].t === null ? 0 : count('SELECT count(*)::int AS n FROM ledger_log_leaves'),
      logCheckpoints: await count(`SELECT count(*)::int AS n FROM projection_checkpoints WHERE name = 'ledger_log'`),
    };
  };

  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('off: the other read models follow every event, the log gets no leaf', async () => {
    const off = await recordSome({ VRS_TRANSPARENCY_LOG: 'off' });
    expect(off.events).toBeGreaterThan(0);
    expect(projectionsService(off.t.runtime).projections.map((p) => p.name)).toEqual(['recipient_status', 'statistics', 'scan_status']);
    expect(off.logCheckpoints).toBe(0);
    expect(await off.leaves()).toBe(0);
  });

  it('on (the default): every event becomes a leaf', async () => {
    const on = await recordSome({});
    await waitFor('ledger_log catch-up', caughtUp(on.t.runtime.pool, on.t.runtime.store, ['ledger_log']));
    expect(await on.leaves()).toBe(on.events);
  });

  it('accepts on/off only, naming the variable otherwise', () => {
    expect(loadConfig({}).VRS_TRANSPARENCY_LOG).toBe('on');
    expect(() => loadConfig({ VRS_TRANSPARENCY_LOG: 'no' })).toThrow(ConfigError);
    expect(() => loadConfig({ VRS_TRANSPARENCY_LOG: 'no' })).toThrow(/VRS_TRANSPARENCY_LOG/);
  });
});
