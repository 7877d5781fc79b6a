import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { signToken } from '../../src/api/auth.js';
import { createTestDatabase } from '../support/database.js';
import { startListening } from '../support/cli.js';
import { throwawayKeys } from '../support/throwawayKeys.js';
import { CHIYODA, person } from '../support/people.js';

/**
 * A projector process (`vrs project`) beside an API node started with VRS_PROJECTIONS=off: the API node applies
 * no projection; the projector catches up with what was written before it started and follows what comes after;
 * the API node answers searches and statistics from the tables the projector writes.
 */
describe('vrs project beside an API node with VRS_PROJECTIONS=off', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'vrs-cli-project-'));
    env = { DATABASE_URL: db.url, VRS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', ...throwawayKeys() };
  });
  afterAll(async () => {
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      c.kill('SIGKILL');
      await once(c, 'exit');
    }
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** `vrs <command>` on a free port; resolves with its base URL once it listens. */
  const start = async (command: string, extra: Record<string, string> = {}) => {
    const { child, url, output } = startListening([command], { ...env, ...extra });
    children.push(child);
    return { child, url: await url, output };
  };

  it('the projector catches up and follows; the API node reads what it wrote', async () => {
    const api = await start('serve', { VRS_PROJECTIONS: 'off' });
    const secret = new TextEncoder().encode(env.VRS_JWT_SECRET);
    const clerk = { authorization: `Bearer ${await signToken(secret, { role: 'municipality', municipality: CHIYODA, sub: 'clerk-1' })}`, 'content-type': 'application/json' };
    const ministry = { authorization: `Bearer ${await signToken(secret, { role: 'ministry', sub: 'mhlw-1' })}` };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${api.url}${path}`, { method: 'POST', headers: clerk, body: JSON.stringify(body) });
      expect(r.status).toBe(201);
      return (await r.json()) as { position: number };
    };
    const dose = (n: number, date: string) => ({ municipality: CHIYODA, coupon: person(n).coupon, doseNumber: 1, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });
    const search = async () => {
      const r = await fetch(`${api.url}/v1/recipients?municipality=${CHIYODA}&nameKana=${encodeURIComponent('セッシュ')}`, { headers: clerk });
      expect(r.status).toBe(200);
      return (await r.json()) as { asOfPosition: number; items: { coupon: string; doses?: unknown }[] };
    };
    const dosesOn = async (date: string) => {
      const r = await fetch(`${api.url}/v1/statistics/daily?from=${date}&to=${date}&groupBy=doseNumber`, { headers: ministry });
      expect(r.status).toBe(200);
      return ((await r.json()) as { rows: { count: number }[] }).rows.reduce((n, row) => n + row.count, 0);
    };
    /** Until the API node's search answers as of `position` (the projector applied it), or 60 s. */
    const caughtUp = async (position: number) => {
      for (let i = 0; i < 600; i++) {
        if (BigInt((await search()).asOfPosition) >= BigInt(position)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`search never reached position ${position}`);
    };

    // Written while no projector runs: the API node applies nothing itself (no projections check in its /readyz).
    for (const n of [1, 2, 3]) await post('/v1/recipients', person(n));
    let last = await post('/v1/vaccinations', dose(1, '2025-06-02'));
    const apiReady = (await (await fetch(`${api.url}/readyz`)).json()) as { checks: { name: string }[] };
    expect(apiReady.checks.map((c) => c.name)).not.toContain('projections');
    expect(BigInt((await search()).asOfPosition)).toBeLessThan(BigInt(last.position));

    // The projector starts later and catches up with all of it.
    const projector = await start('project');
    await caughtUp(last.position);
    expect((await search()).items.map((i) => i.coupon).sort()).toEqual([1, 2, 3].map((n) => person(n).coupon));
    expect(await dosesOn('2025-06-02')).toBe(1);

    // …and follows what the API node writes next.
    last = await post('/v1/vaccinations', dose(2, '2025-06-02'));
    await caughtUp(last.position);
    expect(await dosesOn('2025-06-02')).toBe(2);

    // Its own endpoints: health, readiness with the projections it applies, no API route.
    const ready = await fetch(`${projector.url}/readyz`);
    expect(ready.status).toBe(200);
    const checks = ((await ready.json()) as { checks: { name: string; detail?: { name: string; appliedHere: boolean }[] }[] }).checks;
    const projections = checks.find((c) => c.name === 'projections')!;
    expect(projections.detail!.filter((d) => d.appliedHere).map((d) => d.name).sort()).toEqual(['ledger_log', 'recipient_status', 'scan_status', 'statistics']);
    expect((await fetch(`${projector.url}/v1/recipients?municipality=${CHIYODA}`, { headers: clerk })).status).toBe(404);

    // Stops cleanly on SIGTERM.
    projector.child.kill('SIGTERM');
    const [code] = (await once(projector.child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 120_000);
});
