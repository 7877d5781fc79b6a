/**
 * Issue 8: dose writes at a fixed offered rate (1,000/s) with and without 100 SSE clients on
 * /v1/statistics/live. Reports commit→client latency (p50/p99; target p99 < 200 ms) and the writers'
 * throughput and append latency with the clients against without (target: clients cost < 10%).
 * Writes go straight to the store as VaccinationRecorded events with their statsDelta, so the figure is the
 * live path's cost, not the ledger's. The server and the writers share this process (as HTTP writes and the
 * SSE route do in production); the 100 clients run in a child process, as raw http readers, so their parsing
 * does not sit in the server's event loop (they still share the machine's cores).
 * How latency is measured: a write's commit time is taken when its append resolves, a frame's arrival when
 * its bytes reach the client, both as performance.timeOrigin + performance.now() (one clock across processes
 * on one machine). After the run each write's checkpoint (transaction id, position) is read back, and its
 * latency is the arrival of the first frame whose id (a checkpoint) covers it, at every client.
 * The no-client baseline runs half before and half after the phase with clients.
 * LIVE_SECONDS and LIVE_INTERVAL_MS override the phase length and the coalescing interval (for experiments).
 */
import http from 'node:http';
import { tap } from 'rxjs';
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDatabase } from './lib/database.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { loadConfig } from '../src/runtime/config.js';
import { openRuntime } from '../src/runtime/openRuntime.js';
import { buildApp } from '../src/api/app.js';
import { signToken } from '../src/api/auth.js';
import { createStatisticsRoutes } from '../src/api/routes/statistics.js';
import { DEFAULT_LIVE_INTERVAL_MS } from '../src/statistics/live/liveHub.js';
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

/** Wall-clock milliseconds, comparable across processes on one machine. */
const wallNow = () => performance.timeOrigin + performance.now();

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
        appendMs.push(performance.now() - t0);
        const at = wallNow();
        commits.push({ position: r.positions[0], at });
        inflight.delete(p);
      });
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  return { commits, appendMs, perSecond: commits.length / elapsed, elapsed, issued };
};

/** One delta frame as a client saw it: its id (checkpoint), when the server serialised it, when it arrived. */
type Arrival = [checkpoint: string, sentAt: number, at: number];
type ClientsReady = { connected: number };
type ClientsReport = { arrivals: Arrival[][]; cut: number; cpuMs: number };


/** A live client that parses the SSE stream frame by frame and records each delta frame's arrival. */
const liveClient = (url: string, token: string) =>
  new Promise<{ arrivals: Arrival[]; close: () => void; cut: () => boolean }>((resolve, reject) => {
    const arrivals: Arrival[] = [];
    let cut = false;
    let pending = '';
    const req = http.get(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = wallNow();
        pending += chunk;
        const frames = pending.split('\n\n');
        pending = frames.pop()!;
        for (const f of frames) {
          const m = /^id: (\S+)\nevent: delta\ndata: \{"checkpoint":"[^"]*","position":"\d+","events":\d+,"sentAt":(\d+)/.exec(f);
          if (m) arrivals.push([m[1], Number(m[2]), at]);
          else if (f.includes('SLOW_CLIENT')) cut = true;
        }
      });
      resolve({ arrivals, close: () => req.destroy(), cut: () => cut });
    });
    req.on('error', reject);
  });

/** The child process: connects the clients, says so, and on 'stop' sends back what each received. */
const clientsChild = async () => {
  const { url, token, count } = JSON.parse(process.env.BENCH_LIVE_CLIENTS!) as { url: string; token: string; count: number };
  const clients = await Promise.all(Array.from({ length: count }, () => liveClient(url, token)));
  const cpu0 = process.cpuUsage();
  process.send!({ connected: clients.length } satisfies ClientsReady);
  process.once('message', () => {
    const cpu = process.cpuUsage(cpu0);
    for (const c of clients) c.close();
    const report: ClientsReport = { arrivals: clients.map((c) => c.arrivals), cut: clients.filter((c) => c.cut()).length, cpuMs: (cpu.user + cpu.system) / 1000 };
    process.send!(report, () => process.exit(0));
  });
};

const forkClients = (url: string, token: string, count: number) => {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_LIVE_CLIENTS: JSON.stringify({ url, token, count }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench clients exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  const ready = next<ClientsReady>();
  const collect = () => {
    const report = next<ClientsReport>();
    child.send('stop');
    return report;
  };
  return { ready, collect, kill: () => child.kill() };
};

const checkpointKey = (c: string) => {
  const [tx, pos] = c.split(':').map(BigInt);
  return { tx, pos };
};
const before = (a: { tx: bigint; pos: bigint }, b: { tx: bigint; pos: bigint }) => a.tx < b.tx || (a.tx === b.tx && a.pos < b.pos);

/**
 * Commit→arrival per write and client: the first frame whose checkpoint is at or past the write's. Also split
 * into commit→frame serialised on the server and serialised→arrived.
 */
const latencies = (writes: { key: { tx: bigint; pos: bigint }; at: number }[], arrivals: Arrival[], out: { total: number[]; server: number[]; wire: number[] }) => {
  const frames = arrivals.map(([c, sentAt, at]) => ({ key: checkpointKey(c), sentAt, at }));
  let m = 0;
  for (const w of writes) {
    while (m < frames.length && before(frames[m].key, w.key)) m++;
    if (m === frames.length) break;
    out.total.push(Math.max(0, frames[m].at - w.at));
    out.server.push(frames[m].sentAt - w.at);
    out.wire.push(frames[m].at - frames[m].sentAt);
  }
};

const ms = (x: number) => Math.round(x);

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const url = await createDatabase(server, 'bench_live');
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-live-'));
    const config = loadConfig({ DATABASE_URL: url, VRS_DATA_DIR: dataDir, VRS_MASTER_KEY: randomBytes(32).toString('hex'), VRS_HMAC_KEY: randomBytes(32).toString('hex'), VRS_JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' });
    const runtime = await openRuntime(config);
    const intervalMs = Number(process.env.LIVE_INTERVAL_MS) || DEFAULT_LIVE_INTERVAL_MS;
    // When the hub's store subscription hands each event over: splits the server's share of the latency.
    const readAt = new Map<bigint, number>();
    const subscribeAll = runtime.store.subscribeAll.bind(runtime.store);
    runtime.store.subscribeAll = (o) => subscribeAll(o).pipe(tap((e) => readAt.set(e.position, wallNow())));
    const app = await buildApp(runtime, [createStatisticsRoutes({ intervalMs })]);
    const seconds = Number(process.env.LIVE_SECONDS) || (quick ? 3 : 60);
    let clients: ReturnType<typeof forkClients> | null = null;
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const liveUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/statistics/live`;
      const token = await signToken(runtime.keys.jwtSecret, { role: 'ministry', sub: 'bench' });

      const load0 = loadavg()[0];
      // The baseline is split around the phase with clients (half before, half after), so a change in the shared
      // machine's load during the run weighs on both sides alike.
      const cpuBefore0 = process.cpuUsage();
      const withoutBefore = await offeredWrites(runtime.store, 0, seconds / 2);
      const cpuBefore = process.cpuUsage(cpuBefore0);
      clients = forkClients(liveUrl, token, CLIENTS);
      await clients.ready;
      await new Promise((r) => setTimeout(r, 500));
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const cpu0 = process.cpuUsage();
      const storePool = (runtime.store as { pool?: { waitingCount: number } }).pool;
      const queued: number[] = [];
      const sampler = setInterval(() => queued.push(storePool?.waitingCount ?? 0), 10);
      const withClients = await offeredWrites(runtime.store, 10_000_000, seconds);
      const cpu = process.cpuUsage(cpu0);
      await new Promise((r) => setTimeout(r, 1000));
      clearInterval(sampler);
      loop.disable();
      const report = await clients.collect();
      clients = null;
      const cpuAfter0 = process.cpuUsage();
      const withoutAfter = await offeredWrites(runtime.store, 20_000_000, seconds / 2);
      const cpuAfter = process.cpuUsage(cpuAfter0);
      const without = {
        perSecond: (withoutBefore.commits.length + withoutAfter.commits.length) / (withoutBefore.elapsed + withoutAfter.elapsed),
        appendMs: [...withoutBefore.appendMs, ...withoutAfter.appendMs],
        cpuMs: (cpuBefore.user + cpuBefore.system + cpuAfter.user + cpuAfter.system) / 1000,
      };
      const load1 = loadavg()[0];

      // Each write's checkpoint, read back: frames are ordered by checkpoint, not by position alone.
      const first = withClients.commits.reduce((m, c) => (c.position < m ? c.position : m), withClients.commits[0].position);
      const { rows: txRows } = await runtime.pool.query<{ tx: string; position: string }>('SELECT transaction_id::text AS tx, position::text FROM events WHERE position >= $1', [first.toString()]);
      const txOf = new Map(txRows.map((r) => [r.position, BigInt(r.tx)]));
      const writes = withClients.commits
        .map((c) => ({ key: { tx: txOf.get(c.position.toString())!, pos: c.position }, at: c.at }))
        .sort((a, b) => (before(a.key, b.key) ? -1 : 1));
      const read = withClients.commits.map((c) => (readAt.get(c.position) ?? NaN) - c.at).filter((x) => !Number.isNaN(x));
      const lat = { total: [] as number[], server: [] as number[], wire: [] as number[] };
      for (const a of report.arrivals) latencies(writes, a, lat);
      const frames = report.arrivals.reduce((n, a) => n + a.length, 0) / report.arrivals.length;

      const rows: BenchRow[] = [
        { name: `live: commit→client p50 (${CLIENTS} clients, ${RATE}/s)`, figure: ms(quantile(lat.total, 0.5)), unit: 'ms' },
        { name: `live: commit→client p99 (${CLIENTS} clients, ${RATE}/s)`, figure: ms(quantile(lat.total, 0.99)), unit: 'ms', target: '< 200 ms' },
        { name: `live: writes/s with ${CLIENTS} clients (offered ${RATE}/s)`, figure: Math.round(withClients.perSecond), unit: 'writes/s', baseline: Math.round(without.perSecond), baselineName: 'no clients', target: '>= 0.9x' },
        { name: 'live: append p99 with clients', figure: Math.round(quantile(withClients.appendMs, 0.99) * 10) / 10, unit: 'ms', baseline: Math.round(quantile(without.appendMs, 0.99) * 10) / 10, baselineName: 'no clients' },
      ];
      const notes = [
        `${seconds} s with clients, between two ${seconds / 2} s halves without (the baseline; the hub's shared subscription, started by the first client, keeps reading through the second half); ${withClients.commits.length} writes with clients, ${lat.total.length} deliveries measured, ${report.cut} clients cut off as slow; ${Math.round(frames)} frames per client`,
        `coalescing interval ${intervalMs} ms; server and writers in one process, the ${CLIENTS} clients in a child process, PostgreSQL beside them on the same cores; load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after`,
        `commit→read by the hub's store subscription p50/p99 ${ms(quantile(read, 0.5))}/${ms(quantile(read, 0.99))} ms; commit→frame serialised p50/p99 ${ms(quantile(lat.server, 0.5))}/${ms(quantile(lat.server, 0.99))} ms; serialised→arrived p50/p99 ${ms(quantile(lat.wire, 0.5))}/${ms(quantile(lat.wire, 0.99))} ms`,
        `server+writers process ${ms((cpu.user + cpu.system) / 1000 / seconds)} ms CPU per s with clients (${ms(without.cpuMs / seconds)} without), event-loop delay p99 ${ms(loop.percentile(99) / 1e6)} ms (max ${ms(loop.max / 1e6)}); clients process ${ms(report.cpuMs / seconds)} ms CPU per s`,
        `queries waiting for a store pool connection (sampled every 10 ms) p50/p99/max ${quantile(queued, 0.5)}/${quantile(queued, 0.99)}/${Math.max(...queued)}`,
      ];
      return { rows, notes };
    } finally {
      clients?.kill();
      await app.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

if (process.env.BENCH_LIVE_CLIENTS) void clientsChild();
else runIfMain(import.meta.url, run);
