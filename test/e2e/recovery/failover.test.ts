import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, freePort } from '../../../src/eventstore/embedded.js';
import { createPostgresEventStore } from '../../../src/eventstore/postgres/store.js';
import { verifyChains } from '../../../src/eventstore/verifyChains.js';
import { signToken } from '../../../src/api/auth.js';
import { runCli, startCli } from '../../support/cli.js';
import { chiyoda, encode, fakeRow, toCsv } from '../../fixtures/csv/makeCsv.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';

const T0 = Date.now();
const T = (what: string) => process.env.TIMING && process.stderr.write(`${((Date.now() - T0) / 1000).toFixed(1)} ${what}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PEOPLE = 600;

type Server = { child: ChildProcess; port: number; log: string[] };

/** `vrs serve` as a process on a data folder; resolves once /readyz answers 200. */
const serve = async (env: Record<string, string>, waitFor: '/readyz' | '/healthz' = '/readyz'): Promise<Server> => {
  const port = await freePort();
  const child = startCli(['serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const log: string[] = [];
  child.stdout!.on('data', (b: Buffer) => log.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  for (let i = 0; ; i++) {
    const r = await fetch(`http://127.0.0.1:${port}${waitFor}`).catch(() => null);
    if (r?.status === 200) return { child, port, log };
    if (child.exitCode !== null || i > 600) throw new Error(`vrs serve did not become ready: ${log.join('')}${r ? await r.text() : ''}`);
    await sleep(100);
  }
};

const stop = (s: Server, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<void>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('close', () => resolve());
    s.child.kill(signal);
  });

const postmasterPid = async (dataDir: string) => Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);

/**
 * Losing the primary's machine mid-load: writers record doses over HTTP against a primary with a synchronous
 * standby; the primary's PostgreSQL is killed with SIGKILL; the standby is promoted and a server started on it.
 * Every dose answered 201 is there once, and every chain verifies. Three times, each killed at another moment,
 * each promoted standby becoming the next run's primary.
 */
describe('failover to a synchronous standby', () => {
  const keys = throwawayKeys();
  let work: string;
  const dirs: string[] = [];
  let primary: Server | null = null;
  const running: Server[] = [];
  let token: string;

  // The first primary runs with VRS_SYNC_STANDBY=on from its first start (its schema is made before the setting).
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vrs-failover-'));
    await chmod(work, 0o711);
    for (let i = 0; i < 4; i++) dirs.push(join(work, `node${i}`));
    token = await signToken(new TextEncoder().encode(keys.VRS_JWT_SECRET), { role: 'site', site: 'S001', sub: 'nurse' });
    primary = await serve({ VRS_DATA_DIR: dirs[0], VRS_SYNC_STANDBY: 'on', ...keys }, '/healthz');
    running.push(primary);
  }, 120_000);
  afterAll(async () => {
    for (const s of running) await stop(s, 'SIGKILL');
    for (const d of dirs) {
      const pid = await postmasterPid(d).catch(() => null);
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    await sleep(200);
    if (work) await rm(work, { recursive: true, force: true });
  });

  const dose = async (port: number, n: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/vaccinations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ municipality: chiyoda, coupon: String(n).padStart(10, '0'), doseNumber: 1, date: '2026-11-01', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' }),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as { stream?: string } | null };
  };

  it.each([
    [0, 10],
    [1, 60],
    [2, 150],
  ])('run %i: the primary is killed after %i acknowledged doses; the promoted standby has each of them once, chains intact', async (run, killAfter) => {
    const [from, to] = [dirs[run], dirs[run + 1]];
    // Alone, the primary says writes would wait: not ready.
    const alone = (await (await fetch(`http://127.0.0.1:${primary!.port}/readyz`)).json()) as { checks: { name: string }[] };
    expect(alone.checks.find((c) => c.name === 'replication')).toMatchObject({ ok: false, detail: expect.stringContaining('no synchronous standby is streaming') });
    T('standby');
    const st = await runCli(['standby', '--primary', from, '--data', to], keys, 120_000);
    expect({ code: st.code, err: st.code === 0 ? '' : st.stderr }).toEqual({ code: 0, err: '' });
    expect(st.stdout).toMatch(/^standby vrs_standby_[0-9a-f]{12} streaming on port \d+/m);
    if (run === 0) {
      const csv = join(work, 'people.csv');
      await writeFile(csv, encode(toCsv(Array.from({ length: PEOPLE }, (_, i) => fakeRow(i + 1))), 'utf8'));
      const imp = await runCli(['import', csv, '--municipality', chiyoda], { VRS_DATA_DIR: from, ...keys }, 120_000);
      if (imp.code !== 0) throw new Error(imp.stderr);
    }
    for (let i = 0; (await fetch(`http://127.0.0.1:${primary!.port}/readyz`)).status !== 200; i++) {
      if (i > 300) throw new Error('the primary did not become ready with its standby');
      await sleep(100);
    }
    if (!primary) throw new Error("no primary");
    const ready = (await (await fetch(`http://127.0.0.1:${primary.port}/readyz`)).json()) as { checks: { name: string }[] };
    const replication = ready.checks.find((c: { name: string }) => c.name === 'replication');
    expect(replication).toMatchObject({ ok: true, replication: { role: 'primary', standbys: [{ state: 'streaming', syncState: 'sync' }] } });
    const metrics = await (await fetch(`http://127.0.0.1:${primary.port}/metrics`)).text();
    expect(metrics).toMatch(/^vrs_replication_standbys\{state="streaming",sync_state="sync"\} 1$/m);
    expect(metrics).toMatch(/^vrs_replication_lag_bytes\{standby="vrs_standby_[0-9a-f]{12}"\} \d+$/m);

    // Writers: each takes the next person and records their first dose, until the server stops answering.
    const acknowledged: string[] = [];
    let next = run * 200 + 1;
    let killed = false;
    const port = primary.port;
    const writer = async () => {
      while (next <= run * 200 + 200) {
        const n = next++;
        const r = await dose(port, n).catch(() => null);
        if (!r || r.status >= 500) return;
        if (r.status === 201) acknowledged.push(r.body!.stream!);
        if (!killed && acknowledged.length >= killAfter) {
          killed = true;
          process.kill(await postmasterPid(from), 'SIGKILL');
        }
      }
    };
    T('writers');
    await Promise.all(Array.from({ length: 8 }, writer));
    expect(killed).toBe(true);
    await stop(primary, 'SIGKILL');

    T('promote');
    const pr = await runCli(['promote', '--data', to], keys, 120_000);
    expect({ code: pr.code, err: pr.code === 0 ? '' : pr.stderr }).toEqual({ code: 0, err: '' });
    T('serve-promoted');
    // The promoted server is the next run's primary, synchronous again once it has a standby of its own.
    const last = run === 2;
    const promoted = await serve({ VRS_DATA_DIR: to, ...keys, ...(last ? {} : { VRS_SYNC_STANDBY: 'on' }) }, last ? '/readyz' : '/healthz');
    running.push(promoted);
    const status = (await (await fetch(`http://127.0.0.1:${promoted.port}/readyz`)).json()) as { checks: { name: string }[] };
    expect(status.checks.find((c: { name: string }) => c.name === 'replication')).toMatchObject({ ok: last, replication: { role: 'primary', standbys: [] } });

    T('checks');
    const url = (await startEmbeddedPostgres({ dataDir: to })).url; // the running cluster's connection
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ stream: string; n: number }>(
        `SELECT stream, count(*)::int AS n FROM events WHERE type = 'VaccinationRecorded' AND stream = ANY($1) GROUP BY stream`,
        [acknowledged],
      );
      const found = new Map(rows.map((r) => [r.stream, r.n]));
      expect(acknowledged.filter((s) => found.get(s) !== 1)).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
      const { rows: dup } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT stream FROM events WHERE type = 'VaccinationRecorded' GROUP BY stream, data->>'doseNumber' HAVING count(*) > 1) d`,
      );
      expect(dup[0].n).toBe(0);
    } finally {
      await c.end();
    }
    const store = createPostgresEventStore({ connectionString: url });
    try {
      const report = await verifyChains(store);
      expect(report.breaks).toEqual([]);
      expect(report.events).toBeGreaterThanOrEqual(PEOPLE + acknowledged.length);
    } finally {
      await store.close();
    }
    // The promoted server answers with the acknowledged doses (the last run's: the others wait for a standby of their
    // own, and a read of a person writes the access log, so it would wait too).
    if (last) {
      const [, , coupon] = /^recipient-(\d{6})-(\d{10})$/.exec(acknowledged[0])!;
      const municipalityToken = await signToken(new TextEncoder().encode(keys.VRS_JWT_SECRET), { role: 'municipality', municipality: chiyoda, sub: 'clerk' });
      const read = await fetch(`http://127.0.0.1:${promoted.port}/v1/recipients/${chiyoda}/${coupon}`, { headers: { authorization: `Bearer ${municipalityToken}` } });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { doses: unknown[] }).doses).toHaveLength(1);
      const more = await dose(promoted.port, run * 200 + 199);
      expect([201, 409, 422]).toContain(more.status);
    }
    primary = promoted;
  }, 120_000);
});
