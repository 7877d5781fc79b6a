/**
 * Issue 4: recording a dose end to end over HTTP. A real listening server (the production app and routes) on a
 * fresh database; N recipients pre-registered through the ledger (bulk appends); POSTs to /v1/vaccinations,
 * dose 1 for a different recipient on every request, over 50 connections: at saturation (autocannon, closed
 * loop: requests/s, p50/p99) and at a fixed offered rate (open loop, evenly spaced: latency). Baseline in the same run: raw `pg`
 * INSERTs of the same-sized event row at the same concurrency. Target: >= 3,000 req/s with p99 < 20 ms.
 */
import { throwawayKeys } from '../test/support/throwawayKeys.js';
import { Writable } from 'node:stream';
import { forkServer } from './lib/forkServer.js';
import { cpuDuring, postmasterPid } from './lib/cpuTime.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/runtime/config.js';
import { openRuntime, type Runtime } from '../src/runtime/openRuntime.js';
import { startWorkers } from '../src/cli/workers.js';
import { pino } from 'pino';
import { buildApp } from '../src/api/app.js';
import { allRoutes } from '../src/api/routes/index.js';
import { vaccinationRoutes } from '../src/api/routes/vaccinations.js';
import { signToken } from '../src/api/auth.js';
import { ledgerOf } from '../src/api/ledgerOf.js';
import { decide, initialState, recipientStream } from '../src/domain/index.js';
import { appendSealed, commandContext, metadataOf, type LedgerWrite } from '../src/ledger/index.js';
import { createDatabase } from './lib/database.js';
import { fakeHash, vaccinationEvent } from './lib/events.js';
import { createRawTable } from './lib/rawTable.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import { pacedLoad } from './lib/pacedLoad.js';
import { perSecond, runWriters } from './lib/writers.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';

const MUNICIPALITY = '131016';
export const CONNECTIONS = 50;
const coupon = (i: number) => String(i).padStart(10, '0');

/** Registrations through the ledger's own decide + sealed append, 500 recipients per atomic append. */
const preRegister = async (runtime: Runtime, count: number) => {
  const deps = ledgerOf(runtime);
  const c = commandContext({ role: 'municipality', municipality: MUNICIPALITY, sub: 'bench' });
  const batches = Math.ceil(count / 500);
  await runWriters(batches, 4, async (b) => {
    const writes: LedgerWrite[] = [];
    for (let i = b * 500; i < Math.min(count, (b + 1) * 500); i++) {
      const decided = decide(
        { type: 'RegisterRecipient', today: c.today, municipality: MUNICIPALITY, coupon: coupon(i), addressNumber: `A${i}`, name: `接種 太郎${i}`, nameKana: 'セッシュ タロウ', birthDate: '1960-04-01', sex: i % 2 ? 'M' : 'F', medicalWorker: false },
        initialState(),
      );
      if (!decided.ok) throw decided.error;
      writes.push({ stream: recipientStream(MUNICIPALITY, coupon(i)), events: decided.value, expected: 'no_stream', personal: true });
    }
    await appendSealed(deps, writes, { ...metadataOf(c), commandId: `bench-register-${b}` });
  });
};

type Load = { from: number; count: number; token: string; url: string };

const doseBody = (i: number) =>
  JSON.stringify({ municipality: MUNICIPALITY, coupon: coupon(i), doseNumber: 1, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });
const headersOf = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/** autocannon, closed loop (saturation): `count` requests, each recording dose 1 for the next recipient from `from`. */
export const load = async ({ from, count, token, url }: Load) => {
  let next = from;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: count,
    // autocannon ends a run (and its duration) on its next sample tick: at the default 1 s a 10 s run could
    // read up to 10% slow.
    sampleInt: 100,
    timeout: 30,
    requests: [{ method: 'POST', path: '/v1/vaccinations', headers: headersOf(token), setupRequest: (req) => ({ ...req, body: doseBody(next++) }) }],
  });
  return {
    rps: Math.round((result['2xx'] / result.duration) * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    used: next - from,
  };
};

const discard = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

type Ready = { port: number; token: string; registeredSeconds: number; logLevel: string; routes: string };

/**
 * The server side, in its own process (as in production, and so that autocannon does not share its event
 * loop): runtime, N recipients pre-registered, the app listening on 127.0.0.1:0; stops on 'stop'.
 */
type ChildPayload = { dbUrl: string; count: number; transparencyLog: 'on' | 'off'; keys: Record<string, string>; projector: boolean };

const configOf = (p: ChildPayload, dataDir: string) =>
  loadConfig({
    DATABASE_URL: p.dbUrl,
    VRS_DATA_DIR: dataDir,
    ...p.keys,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    VRS_TRANSPARENCY_LOG: p.transparencyLog,
    VRS_PROJECTIONS: p.projector ? 'off' : 'on',
  });

const serveChild = async () => {
  const payload = JSON.parse(process.env.BENCH_DOSE_CHILD!) as ChildPayload;
  const { count } = payload;
  const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-dose-'));
  const config = configOf(payload, dataDir);
  // Diagnostic (off by default): BENCH_DOSE_QUERIES=1 counts the server's statements by name (or first words) and prints them at stop.
  const queries = new Map<string, number>();
  if (process.env.BENCH_DOSE_QUERIES) {
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { name?: string; text?: string };
      const key = typeof q === 'string' ? q : (q.name ?? q.text ?? '?');
      const k = key.replace(/\s+/g, ' ').slice(0, 60);
      queries.set(k, (queries.get(k) ?? 0) + 1);
      return original.apply(this, args);
    } as typeof pg.Client.prototype.query;
  }
  const runtime = await openRuntime(config);
  // Diagnostic (off by default): BENCH_DOSE_ROUTES=ledger serves only the ledger routes, projections off.
  const ledgerOnly = process.env.BENCH_DOSE_ROUTES === 'ledger';
  const started = Date.now();
  await preRegister(runtime, count);
  const registeredSeconds = (Date.now() - started) / 1000;
  // Production logging (request lines at info), written to nowhere: its cost is counted, not its disk.
  const app = await buildApp(runtime, ledgerOnly ? [vaccinationRoutes] : allRoutes(runtime), { logStream: discard() });
  // As `npm start` runs: the projections (recipient_status, statistics, ledger_log) apply every dose in this process
  // too, and the transparency log's checkpoint signer runs (bench/proofs.ts compares with it off). With a projector
  // (BENCH_DOSE_PROJECTOR=1) this is an API node, VRS_PROJECTIONS=off, and `vrs project` runs in a process of its own.
  if (!ledgerOnly && config.VRS_PROJECTIONS === 'on') await startWorkers(runtime, app.log);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no listening address');
  const token = await signToken(runtime.keys.jwtSecret, { role: 'site', site: 'S001', sub: 'bench-site' });
  const routes = ledgerOnly ? 'ledger routes only' : config.VRS_PROJECTIONS === 'on' ? 'every production route and projection' : 'every production route, VRS_PROJECTIONS=off (an API node)';
  const ready: Ready = { port: address.port, token, registeredSeconds, logLevel: config.LOG_LEVEL, routes };
  process.send!(ready);
  process.on('message', async () => {
    if (queries.size > 0) {
      console.error([...queries].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${String(n).padStart(8)}  ${k}`).join('\n'));
      const { user, system } = process.cpuUsage();
      console.error(`server process CPU over its life: user ${(user / 1e6).toFixed(1)} s, system ${(system / 1e6).toFixed(1)} s`);
    }
    await app.close();
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
};

/** The projector (`vrs project` without its HTTP side): projections and checkpoint signer, in a process of its own. */
const projectorChild = async () => {
  const payload = JSON.parse(process.env.BENCH_DOSE_PROJECTOR_CHILD!) as ChildPayload;
  const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-projector-'));
  const runtime = await openRuntime({ ...configOf(payload, dataDir), VRS_PROJECTIONS: 'on' });
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' }, discard());
  // BENCH_DOSE_LINGER=ms: how long the projector's runner waits after a short batch (diagnostic).
  await startWorkers(runtime, log, process.env.BENCH_DOSE_LINGER ? { lingerMs: Number(process.env.BENCH_DOSE_LINGER) } : {});
  process.send!({});
  process.on('message', async () => {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
};

// BENCH_DOSE_PROFILE=dir writes the server's CPU profile there (diagnostic).
export const startChild = (dbUrl: string, count: number, transparencyLog: 'on' | 'off' = 'on', keys = throwawayKeys(), projector = false) =>
  forkServer<Ready>(
    import.meta.url,
    'BENCH_DOSE_CHILD',
    { dbUrl, count, transparencyLog, keys, projector } satisfies ChildPayload,
    process.env.BENCH_DOSE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_DOSE_PROFILE}`] : [],
  );

// BENCH_DOSE_PROFILE_PROJECTOR=dir writes the projector's CPU profile there (diagnostic).
const startProjector = (dbUrl: string, keys: Record<string, string>) =>
  forkServer<object>(
    import.meta.url,
    'BENCH_DOSE_PROJECTOR_CHILD',
    { dbUrl, count: 0, transparencyLog: 'on', keys, projector: false } satisfies ChildPayload,
    process.env.BENCH_DOSE_PROFILE_PROJECTOR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_DOSE_PROFILE_PROJECTOR}`] : [],
  );

/**
 * Events not yet applied by the slowest projection: those after its checkpoint in (transaction id, position) order
 * (a checkpoint's position alone may stay below the newest position for good: order is by transaction first).
 */
const projectionBacklog = async (db: pg.Pool) => {
  const { rows } = await db.query<{ n: string | null }>(
    `SELECT max((SELECT count(*) FROM events e
        WHERE c.checkpoint IS NULL OR (e.transaction_id, e.position) > (split_part(c.checkpoint, ':', 1)::xid8, split_part(c.checkpoint, ':', 2)::bigint))) AS n
     FROM projection_checkpoints c`,
  );
  return Number(rows[0].n ?? 0);
};

/** Until every projection has applied every event (owner's pool). */
const projectionsCaughtUp = async (db: pg.Pool) => {
  while ((await projectionBacklog(db)) > 0) await new Promise((r) => setTimeout(r, 50));
};

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const dbUrl = await createDatabase(server, 'bench_record_dose');
    const warm = quick ? 200 : 2_000;
    // BENCH_DOSE_SATURATED=n doses at saturation (diagnostic: a short run on a shared machine).
    const saturated = Number(process.env.BENCH_DOSE_SATURATED ?? (quick ? 2_000 : 30_000));
    // BENCH_DOSE_RATE=n reads latency at another offered rate (diagnostic: where the knee is); 0 skips that phase.
    const rate = Number(process.env.BENCH_DOSE_RATE ?? 2_000);
    const paced = rate * (quick ? 2 : 10);
    const total = warm + saturated + paced;
    // BENCH_DOSE_PROJECTOR=1: the server as an API node (VRS_PROJECTIONS=off) and a projector process beside it.
    const withProjector = process.env.BENCH_DOSE_PROJECTOR === '1';
    const keys = throwawayKeys();
    const child = startChild(dbUrl, total, 'on', keys, withProjector);
    const projector = withProjector ? startProjector(dbUrl, keys) : null;
    const ledgerOnly = process.env.BENCH_DOSE_ROUTES === 'ledger';
    const rawPool = new pg.Pool({ connectionString: dbUrl, max: CONNECTIONS });
    rawPool.on('error', () => {});
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    try {
      const { port, token, registeredSeconds, logLevel, routes } = await child.ready;
      if (projector) await projector.ready;
      const url = `http://127.0.0.1:${port}`;
      notes.push(`${total} recipients pre-registered through the ledger in ${registeredSeconds.toFixed(1)} s`);

      let at = 0;
      const warmUp = await load({ from: at, count: warm, token, url });
      at += warmUp.used;
      const postgres = await postmasterPid(rawPool);
      // CPU per dose, whatever else the machine runs: capacity is 2 cores / the sum, when CPU-bound.
      // The projections must have applied the warm-up before the window opens, and every dose of the window before it
      // closes: CPU per dose then counts all the work a dose causes (command and projections, wherever they run).
      if (!ledgerOnly) await projectionsCaughtUp(rawPool);
      const satFrom = process.hrtime.bigint();
      let behindAtEnd = 0;
      let catchUpMs = 0;
      const { value: sat, ms: satCpu } = await cpuDuring({ server: child.pid, ...(projector ? { projector: projector.pid } : {}), PostgreSQL: postgres }, async () => {
        const answered = await load({ from: at, count: saturated, token, url });
        if (!ledgerOnly) {
          const t0 = Date.now();
          behindAtEnd = await projectionBacklog(rawPool);
          await projectionsCaughtUp(rawPool);
          catchUpMs = Date.now() - t0;
        }
        return answered;
      });
      // The profile's clock is the same monotonic clock: the summary counts only the saturation phase (and the
      // projections' catch-up), and scales its shares by the server CPU per dose measured here.
      if (process.env.BENCH_DOSE_PROFILE) {
        const window = { from: Number(satFrom / 1000n), to: Number(process.hrtime.bigint() / 1000n), doses: sat.ok, cpuUsPerDose: Math.round((satCpu.server * 1000) / sat.ok) };
        await writeFile(join(process.env.BENCH_DOSE_PROFILE, 'window.json'), JSON.stringify(window));
        if (process.env.BENCH_DOSE_PROFILE_PROJECTOR && projector) {
          const p = { ...window, cpuUsPerDose: Math.round((satCpu.projector * 1000) / sat.ok) };
          await writeFile(join(process.env.BENCH_DOSE_PROFILE_PROJECTOR, 'window.json'), JSON.stringify(p));
        }
      }
      at += sat.used;
      const from = at;
      const fixed =
        paced > 0
          ? await pacedLoad({ url, rate, count: paced, connections: CONNECTIONS, request: (i) => ({ method: 'POST', path: '/v1/vaccinations', headers: headersOf(token), body: doseBody(from + i) }) })
          : { ok: 0, failed: 0, rps: 0, p50: NaN, p99: NaN, max: NaN };
      at += paced;

      // The baseline: one autocommit INSERT of a same-sized event row per request, 50 concurrent clients.
      const raw = await createRawTable(rawPool);
      const { value: rawSeconds, ms: rawCpu } = await cpuDuring({ PostgreSQL: postgres }, () =>
        runWriters(saturated, CONNECTIONS, (i) => raw.insert(`raw-${i}`, 1, vaccinationEvent(i), fakeHash(i))),
      );
      const rawRate = perSecond(saturated, rawSeconds);

      const { rows: counted } = await rawPool.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'VaccinationRecorded'`);
      const recorded = Number(counted[0].n);
      const answered = warmUp.ok + sat.ok + fixed.ok;

      rows.push(
        { name: `record dose over HTTP, ${CONNECTIONS} connections, saturation`, figure: sat.rps, unit: 'req/s', baseline: rawRate, baselineName: `raw INSERT, ${CONNECTIONS} clients`, ratio: sat.rps / rawRate, target: '>= 3000 req/s' },
        { name: 'record dose, saturation: p50', figure: sat.p50, unit: 'ms' },
        { name: 'record dose, saturation: p99', figure: sat.p99, unit: 'ms' },
      );
      if (paced > 0) {
        rows.push(
          { name: `record dose at ${rate} req/s offered: p50`, figure: fixed.p50, unit: 'ms' },
          { name: `record dose at ${rate} req/s offered: p99`, figure: fixed.p99, unit: 'ms', target: '< 20 ms' },
        );
      }
      notes.push(
        `saturation: ${sat.ok} doses in ${(sat.ok / sat.rps).toFixed(1)} s (autocannon, closed loop); fixed rate: ${fixed.ok} doses at ${fixed.rps} req/s achieved, max ${fixed.max} ms ` +
          `(open loop, evenly spaced, latency from each request's due time: bench/lib/pacedLoad.ts)`,
        `${answered} answered 201, ${warmUp.failed + sat.failed + fixed.failed} failed; ${recorded} VaccinationRecorded events in the store`,
        `server in its own process: fastify with ${routes}, logging at ${logLevel} to a discarding stream; event store pool of 20`,
      );
      const perDose = (ms: Record<string, number>, n: number) =>
        Object.entries(ms).map(([k, v]) => `${k} ${Math.round((v * 1000) / n)} µs`).join(', ');
      notes.push(
        `CPU per dose at saturation: ${perDose(satCpu, sat.ok)}; per raw INSERT: ${perDose(rawCpu, saturated)} ` +
          `(process times from /proc, so other work on the machine does not count)`,
      );
      if (!ledgerOnly) {
        notes.push(
          `projections ${behindAtEnd} events behind when the last dose was answered, caught up ${(catchUpMs / 1000).toFixed(1)} s later (inside the CPU window)` +
            (projector ? '; projector in its own process (`vrs project`), the server an API node with VRS_PROJECTIONS=off' : ''),
        );
      }
      if (recorded !== answered) notes.push(`MISMATCH: ${answered} answered 201 but ${recorded} events stored`);
      console.log(`  saturation ${sat.rps} req/s (p50 ${sat.p50} ms, p99 ${sat.p99} ms); ${rate}/s offered p99 ${fixed.p99} ms; raw INSERT ${rawRate}/s`);
    } finally {
      await child.stop();
      await projector?.stop();
      await rawPool.end();
    }
    return { rows, notes };
  });

if (process.env.BENCH_DOSE_CHILD) void serveChild();
else if (process.env.BENCH_DOSE_PROJECTOR_CHILD) void projectorChild();
else runIfMain(import.meta.url, run);
