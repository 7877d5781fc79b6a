/**
 * Issue 8: dose writes at a fixed offered rate (1,000/s) with and without 100 SSE clients on
 * /v1/statistics/live. Reports commit→client latency (p50/p99; target p99 < 200 ms) and the writers'
 * throughput and append latency with the clients against without (target: clients cost < 10%).
 * Writes go straight to the store as VaccinationRecorded events with their statsDelta, so the figure is the
 * live path's cost, not the ledger's. Clients run in this process, as raw http readers.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDatabase } from './lib/database.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { loadConfig } from '../src/config/config.js';
import { openRuntime } from '../src/cli/runtime.js';
import { buildApp } from '../src/api/app.js';
import { signToken } from '../src/api/auth.js';
import { createStatisticsRoutes } from '../src/api/routes/statistics.js';
import type { EventStore, NewEvent } from '../src/eventstore/contract.js';

const RATE = 1000;
const CLIENTS = 100;

const doseEvent = (i: number): NewEvent => {
  const figures = { date: `2025-0${1 + (i % 9)}-1${i % 10}`, municipality: '131016', prefecture: '13', sex: i % 2 ? 'F' : 'M', ageBand: i % 3 ? '-64' : '65-', doseNumber: 1 + (i % 3), maker: 'pfizer', medicalWorker: false };
  return {
    type: 'VaccinationRecorded',
    data: { doseNumber: figures.doseNumber, date: figures.date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001', source: 'manual', municipality: '131016', coupon: String(i).padStart(10, '0'), sex: figures.sex, ageBand: figures.ageBand, medicalWorker: false, statsDelta: { remove: [], add: [figures] } },
    metadata: { commandId: randomUUID(), actor: { role: 'site', sub: 'bench', site: 'S001' } },
  };
};

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

type Commit = { position: bigint; at: number };

/** Appends at `rate`/s for `seconds` (at most 200 in flight); each commit's position and time. */
const offeredWrites = async (store: EventStore, from: number, seconds: number) => {
  const commits: Commit[] = [];
  const appendMs: number[] = [];
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  let issued = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    while (issued < due && inflight.size < 200) {
      const i = from + issued++;
      const t0 = performance.now();
      const p = store.append(`recipient-131016-${String(i).padStart(10, '0')}`, [doseEvent(i)], { expected: 'no_stream' }).then((r) => {
        const at = performance.now();
        appendMs.push(at - t0);
        commits.push({ position: r.positions[0], at });
        inflight.delete(p);
      });
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inflight);
  return { commits, appendMs, perSecond: commits.length / ((performance.now() - started) / 1000), issued };
};

/** A live client that records, per delta message, when it arrived and the last position it covers. */
const liveClient = (url: string, token: string) =>
  new Promise<{ got: { at: number; position: bigint }[]; close: () => void; cut: () => boolean }>((resolve, reject) => {
    const got: { at: number; position: bigint }[] = [];
    let cut = false;
    const req = http.get(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        for (const m of chunk.matchAll(/"position":"(\d+)"/g)) got.push({ at, position: BigInt(m[1]) });
        if (chunk.includes('SLOW_CLIENT')) cut = true;
      });
      resolve({ got, close: () => req.destroy(), cut: () => cut });
    });
    req.on('error', reject);
  });

/** Commit→arrival per write: the first message covering a position at or past the write's. */
const latencies = (commits: Commit[], got: { at: number; position: bigint }[], out: number[]) => {
  const writes = [...commits].sort((a, b) => (a.position < b.position ? -1 : 1));
  let m = 0;
  for (const w of writes) {
    while (m < got.length && got[m].position < w.position) m++;
    if (m === got.length) break;
    out.push(Math.max(0, got[m].at - w.at));
  }
};

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const url = await createDatabase(server, 'bench_live');
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-live-'));
    const config = loadConfig({ DATABASE_URL: url, VRS_DATA_DIR: dataDir, VRS_MASTER_KEY: randomBytes(32).toString('hex'), VRS_HMAC_KEY: randomBytes(32).toString('hex'), VRS_JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' });
    const runtime = await openRuntime(config);
    const app = await buildApp(runtime, [createStatisticsRoutes({ intervalMs: 100 })]);
    const seconds = quick ? 3 : 60;
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const liveUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/statistics/live`;
      const token = await signToken(runtime.keys.jwtSecret, { role: 'ministry', sub: 'bench' });

      const without = await offeredWrites(runtime.store, 0, seconds);
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => liveClient(liveUrl, token)));
      await new Promise((r) => setTimeout(r, 500));
      const withClients = await offeredWrites(runtime.store, 10_000_000, seconds);
      await new Promise((r) => setTimeout(r, 1000));
      const lat: number[] = [];
      for (const c of clients) latencies(withClients.commits, c.got, lat);
      const cut = clients.filter((c) => c.cut()).length;
      for (const c of clients) c.close();

      const rows: BenchRow[] = [
        { name: `live: commit→client p50 (${CLIENTS} clients, ${RATE}/s)`, figure: Math.round(quantile(lat, 0.5)), unit: 'ms' },
        { name: `live: commit→client p99 (${CLIENTS} clients, ${RATE}/s)`, figure: Math.round(quantile(lat, 0.99)), unit: 'ms', target: '< 200 ms' },
        { name: `live: writes/s with ${CLIENTS} clients (offered ${RATE}/s)`, figure: Math.round(withClients.perSecond), unit: 'writes/s', baseline: Math.round(without.perSecond), baselineName: 'no clients', target: '>= 0.9x' },
        { name: 'live: append p99 with clients', figure: Math.round(quantile(withClients.appendMs, 0.99) * 10) / 10, unit: 'ms', baseline: Math.round(quantile(without.appendMs, 0.99) * 10) / 10, baselineName: 'no clients' },
      ];
      const notes = [
        `${seconds} s per phase; ${withClients.commits.length} writes with clients, ${lat.length} deliveries measured, ${cut} clients cut off as slow`,
        'coalescing interval 100 ms; clients, server and PostgreSQL share the same 2 cores',
      ];
      return { rows, notes };
    } finally {
      await app.close();
      for (const s of (runtime.services.stoppers as (() => Promise<void>)[] | undefined) ?? []) await s().catch(() => {});
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

runIfMain(import.meta.url, run);
