import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recipientStream } from '../../src/domain/index.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { caughtUp, checkpointPosition } from '../integration/projections/support/caughtUp.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import { CHIYODA, coupon, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

type Detail = { name: string; position: number; error?: string; errorPosition?: number };

/**
 * An event recipient_status cannot apply (a registration stored without its municipality, as a faulty writer
 * or an old version could have left it): the projection stops there, says so on /readyz and in the log, and
 * never moves its checkpoint past it; statistics, which does not read that event, carries on.
 */
describe('a projection stopped at an event it cannot apply', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  let poison: bigint;

  const register = async (from: number, n: number) => {
    for (let i = from; i < from + n; i++) {
      expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(i) })).statusCode).toBe(201);
    }
  };
  const errorAt = async () =>
    (await t.runtime.pool.query<{ error_at: Date | null }>("SELECT error_at FROM projection_checkpoints WHERE name = 'recipient_status'")).rows[0]?.error_at ?? null;

  beforeAll(async () => {
    t = await createTestApp();
    // The runner logs through the app's logger, as `vrs serve` has it, so its lines are captured in t.logs.
    await projectionsService(t.runtime).start({ log: t.app.log, lockRetryMs: 100, failureRetryMs: 100 });
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    await register(0, 5);
    await waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, ['recipient_status', 'statistics']));
    const stored = await t.runtime.store.append(recipientStream(CHIYODA, coupon(99)), [
      { type: 'RecipientRegistered', data: { coupon: coupon(99), addressNumber: 'A99', sex: 'M', medicalWorker: false } },
    ]);
    poison = stored.positions[0];
    await register(5, 3); // valid events after it
  });
  afterAll(async () => t.close());

  it('/readyz answers 503 naming the projection, the position and the error', async () => {
    await waitFor('not ready', async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 503);
    const body = (await t.app.inject({ method: 'GET', url: '/readyz' })).json();
    expect(body.status).toBe('not-ready');
    const check = body.checks.find((c: { name: string }) => c.name === 'projections');
    expect(check.ok).toBe(false);
    const detail = check.detail as Detail[];
    const { rows } = await t.runtime.pool.query<{ error: string }>("SELECT error FROM projection_checkpoints WHERE name = 'recipient_status'");
    expect(rows[0].error).toMatch(/^23502: .*"municipality"/);
    expect(detail.find((d) => d.name === 'recipient_status')).toMatchObject({ errorPosition: Number(poison), error: rows[0].error });
    expect(detail.find((d) => d.name === 'recipient_status')!.position).toBeLessThan(Number(poison));
    expect(detail.find((d) => d.name === 'statistics')).not.toHaveProperty('error');
    expect(body.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name)).toEqual(['projections']);
  });

  it('logs the projection, the position and the error (and no personal data)', async () => {
    await waitFor('the log line', () => t.logs.some((l) => l.includes('cannot apply')));
    const lines = t.logs.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const stopped = lines.filter((l) => l.msg === 'projection stopped at an event it cannot apply');
    expect(stopped.length).toBeGreaterThan(0);
    for (const l of stopped) expect(l).toMatchObject({ level: 50, projection: 'recipient_status', position: poison.toString(), err: expect.stringMatching(/^23502: .*"municipality"/) });
    const text = t.logs.join('');
    expect(text).not.toContain('セッシュ');
    expect(text).not.toContain('接種 太郎');
  });

  it('retries and still never moves the checkpoint past the event; statistics carries on; search shows nothing after it', async () => {
    const first = await errorAt();
    expect(first).not.toBeNull();
    await waitFor('a retry that fails again', async () => ((await errorAt())?.getTime() ?? 0) > first!.getTime());
    const { rows } = await t.runtime.pool.query<{ before: string }>('SELECT max(position) AS before FROM events WHERE position < $1', [poison.toString()]);
    expect(await checkpointPosition(t.runtime.pool, 'recipient_status')).toBe(BigInt(rows[0].before)); // everything before it, nothing from it on
    expect(projectionsService(t.runtime).runner()!.states().find((s) => s.name === 'recipient_status')!.failed).toMatchObject({ position: poison });
    await waitFor('statistics at the head', caughtUp(t.runtime.pool, t.runtime.store, ['statistics']));

    const found = (await t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query: { limit: '200' } })).json();
    expect(found.asOfPosition).toBeLessThan(Number(poison));
    expect(found.items.map((i: { coupon: string }) => i.coupon).sort()).toEqual([0, 1, 2, 3, 4].map(coupon));

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^vrs_projection_failed\{projection="recipient_status"\} 1$/m);
    expect(metrics).toMatch(/^vrs_projection_failed\{projection="statistics"\} 0$/m);
  });
});
