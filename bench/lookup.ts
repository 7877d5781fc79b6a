/**
 * Issue 5: reads at scale. N recipients (1,000,000 full) appended in bulk, recipient_status rebuilt, then a real
 * listening server answers with 50 autocannon connections: the search (`GET /v1/recipients?nameKana=…`, read
 * model) and the single 接種状況 (`GET /v1/recipients/{m}/{c}`), p50/p99 at saturation and at a fixed offered
 * rate. Baseline in the same run, same connections and same offered rate: a bare fastify answering one raw `pg`
 * primary-key SELECT of the same recipient's recipient_status row (NOTES: at saturation latency is queueing, so
 * a latency target is read at a fixed rate beside a baseline at that rate). Target: p99 < 5 ms for single lookups.
 */
import { throwawayKeys } from '../test/support/throwawayKeys.js';
import { forkServer } from './lib/forkServer.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/api/app.js';
import { signToken } from '../src/api/auth.js';
import { allRoutes } from '../src/api/routes/index.js';
import { openRuntime } from '../src/runtime/openRuntime.js';
import { loadConfig } from '../src/runtime/config.js';
import { recipientStream } from '../src/domain/index.js';
import { projectionsService } from '../src/projections/projectionsService.js';
import { createDatabase } from './lib/database.js';
import { pacedLoad } from './lib/pacedLoad.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { appendRecipients, BENCH_MUNICIPALITIES, recipientOf } from './rebuild.js';

const CONNECTIONS = 50;
/** The fixed offered rate at which latency is read (the route and the baseline alike). */
const RATE = 1000;
const KANA_PREFIXES = ['ヤマダ', 'スズキ タ', 'サトウ', 'タナカ ハ', 'ワタ', 'イトウ ユ'];

const discard = () => new Writable({ write: (_c, _e, done) => done() });

type Shot = { url: string; seconds: number; path: (i: number) => string; token: (i: number) => string };

/** Saturation: autocannon, closed loop, 50 connections. */
const shoot = async ({ url, seconds, path, token }: Shot) => {
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    sampleInt: 100, // the run ends on a sample tick (default 1 s)
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const k = i++;
          return { ...req, path: path(k), headers: { authorization: `Bearer ${token(k)}` } };
        },
      },
    ],
  });
  return { rps: Math.round(r['2xx'] / r.duration), p50: r.latency.p50, p99: r.latency.p99, failed: r.non2xx + r.errors + r.timeouts };
};

/**
 * Latency at RATE req/s, open loop and evenly spaced (autocannon's overallRate sends each second's quota in a
 * burst at its start), measured from each request's due time.
 */
const paced = async ({ url, seconds, path, token }: Shot) =>
  pacedLoad({ url, rate: RATE, count: RATE * seconds, connections: CONNECTIONS, request: (k) => ({ method: 'GET', path: path(k), headers: { authorization: `Bearer ${token(k)}` } }) });

/** Raw baseline: primary-key SELECTs of a read-model row, 50 concurrent clients, for `seconds`. */
const rawLookups = async (dbUrl: string, recipients: number, seconds: number) => {
  const pool = new pg.Pool({ connectionString: dbUrl, max: CONNECTIONS });
  pool.on('error', () => {});
  let n = 0;
  const until = Date.now() + seconds * 1000;
  const lat: number[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const i = (n++ * 7919) % recipients;
        const t = process.hrtime.bigint();
        await pool.query('SELECT * FROM recipient_status WHERE stream = $1', [recipientStream(recipientOf(i).municipality, recipientOf(i).coupon)]);
        lat.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  await pool.end();
  lat.sort((a, b) => a - b);
  return { rps: Math.round(lat.length / seconds), p99: lat[Math.floor(lat.length * 0.99)] };
};

/**
 * The floor under any durably logged read: one-row INSERT commits (fsync on) one after another, as the access log
 * makes them, with their latency percentiles. A route that waits for its log row cannot beat this p99.
 */
const commitLatency = async (dbUrl: string, count: number) => {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const lat: number[] = [];
  try {
    await c.query('CREATE TABLE bench_commit (at timestamptz, record text)');
    for (let k = 0; k < count; k++) {
      const t = process.hrtime.bigint();
      await c.query('INSERT INTO bench_commit VALUES (now(), $1)', [String(k)]);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await c.query('DROP TABLE bench_commit');
  } finally {
    await c.end();
  }
  lat.sort((a, b) => a - b);
  return { p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)] };
};

type Ready = { port: number; basePort: number };

/**
 * The baseline server: fastify without logging or auth, one `pg` primary-key SELECT of the recipient's read-model
 * row per request, a pool as large as the store's. What any single-row HTTP read costs on this machine.
 */
const baselineServer = async (dbUrl: string) => {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 20 });
  const app = Fastify();
  app.get<{ Params: { m: string; c: string } }>('/v1/recipients/:m/:c', async (req, reply) => {
    const { rows } = await pool.query({ name: 'bench-pk', text: 'SELECT * FROM recipient_status WHERE stream = $1', values: [recipientStream(req.params.m, req.params.c)] });
    if (rows.length === 0) return reply.status(404).send({ error: 'not found' });
    return rows[0];
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no listening address');
  return { port: address.port, close: async () => { await app.close(); await pool.end(); } };
};

/**
 * The server side in its own process, as in production, so autocannon does not share its event loop, and with
 * a cold data-key cache like a server that just started. Same secrets as the parent (passed in its env).
 */
const serveChild = async () => {
  const env = JSON.parse(process.env.BENCH_LOOKUP_CHILD!) as Record<string, string>;
  const runtime = await openRuntime(loadConfig(env));
  const app = await buildApp(runtime, allRoutes(runtime), { logStream: discard() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no listening address');
  const base = await baselineServer(env.DATABASE_URL);
  process.send!({ port: address.port, basePort: base.port } satisfies Ready);
  process.on('message', async () => {
    await base.close();
    await app.close();
    await runtime.close();
    process.exit(0);
  });
};

const startChild = (env: Record<string, string>) =>
  forkServer<Ready>(import.meta.url, 'BENCH_LOOKUP_CHILD', env, process.env.BENCH_CHILD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROF}`] : []);

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const dbUrl = await createDatabase(server, 'bench_lookup');
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-lookup-'));
    const env = {
      DATABASE_URL: dbUrl,
      VRS_DATA_DIR: dataDir,
      ...throwawayKeys(),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    };
    const runtime = await openRuntime(loadConfig(env));
    const notes: string[] = [];
    const rows: BenchRow[] = [];
    let child: ReturnType<typeof startChild> | null = null;
    try {
      const recipients = Number(process.env.BENCH_RECIPIENTS) || (quick ? 3_000 : 1_000_000);
      const gen = await appendRecipients(runtime.store, runtime.dataKeys, { recipients, dosesEach: 1 });
      notes.push(`${gen.recipients} recipients (registration + 1 dose) appended in bulk in ${gen.seconds.toFixed(1)} s`);
      const service = projectionsService(runtime);
      const rebuilt = await service.rebuild('recipient_status');
      notes.push(`recipient_status rebuilt from ${rebuilt.events} events in ${rebuilt.seconds.toFixed(1)} s`);
      // Steady state before measuring: otherwise autovacuum (after millions of inserts) and the next checkpoint run
      // in the middle of the latency shots and set everyone's p99, the baseline's included.
      await runtime.pool.query('VACUUM (ANALYZE) events, recipient_status, recipient_keys');
      await runtime.pool.query('CHECKPOINT');

      child = startChild(env);
      const { port, basePort } = await child.ready;
      const url = `http://127.0.0.1:${port}`;
      const baseUrl = `http://127.0.0.1:${basePort}`;
      const tokens = await Promise.all(BENCH_MUNICIPALITIES.map((m) => signToken(runtime.keys.jwtSecret, { role: 'municipality', municipality: m, sub: `bench-${m}` })));
      const spread = (k: number) => (k * 7919) % recipients;
      const single = {
        path: (k: number) => `/v1/recipients/${recipientOf(spread(k)).municipality}/${recipientOf(spread(k)).coupon}`,
        token: (k: number) => tokens[spread(k) % BENCH_MUNICIPALITIES.length],
      };
      const search = {
        path: (k: number) => `/v1/recipients?nameKana=${encodeURIComponent(KANA_PREFIXES[k % KANA_PREFIXES.length])}&limit=20`,
        token: (k: number) => tokens[k % tokens.length],
      };
      const seconds = quick ? 2 : 10;
      await shoot({ url, seconds: 1, ...single }); // warm-up
      await shoot({ url: baseUrl, seconds: 1, ...single });
      // Route and baseline alternate, so a burst of load from elsewhere on the machine hits both alike.
      const singleSat = await shoot({ url, seconds, ...single });
      const baseSat = await shoot({ url: baseUrl, seconds, ...single });
      const singleFixed = await paced({ url, seconds, ...single });
      const baseFixed = await paced({ url: baseUrl, seconds, ...single });
      const searchSat = await shoot({ url, seconds, ...search });
      const searchFixed = await paced({ url, seconds, ...search });
      await child.stop();
      child = null;
      const raw = await rawLookups(dbUrl, recipients, seconds);
      const commit = await commitLatency(dbUrl, quick ? 300 : 2000);
      const base = 'fastify + PK SELECT';
      rows.push(
        { name: `single 接種状況 at ${RATE} req/s: p99`, figure: singleFixed.p99, unit: 'ms', baseline: baseFixed.p99, baselineName: `${base}, ${RATE} req/s`, ratio: singleFixed.p99 / baseFixed.p99, target: '< 5 ms' },
        { name: `single 接種状況 at ${RATE} req/s: p50`, figure: singleFixed.p50, unit: 'ms', baseline: baseFixed.p50, baselineName: `${base}, ${RATE} req/s`, ratio: singleFixed.p50 / baseFixed.p50 },
        { name: 'single 接種状況, 50 connections saturated: p99', figure: singleSat.p99, unit: 'ms', baseline: baseSat.p99, baselineName: `${base}, saturated`, ratio: singleSat.p99 / baseSat.p99 },
        { name: 'durable one-row commit, 1 client: p99 (the access log\'s floor)', figure: commit.p99, unit: 'ms' },
        { name: 'single 接種状況, saturation', figure: singleSat.rps, unit: 'req/s', baseline: baseSat.rps, baselineName: `${base}, saturated`, ratio: singleSat.rps / baseSat.rps },
        { name: 'search (kana prefix, 20 items), 50 connections: p99', figure: searchSat.p99, unit: 'ms' },
        { name: 'search, saturation', figure: searchSat.rps, unit: 'req/s' },
        { name: `search at ${RATE} req/s: p99`, figure: searchFixed.p99, unit: 'ms' },
      );
      notes.push(
        `single p50 ${singleSat.p50} ms saturated (baseline ${baseSat.p50} ms); achieved at the fixed rate: ${singleFixed.rps} req/s (baseline ${baseFixed.rps}); search p50 ${searchSat.p50} ms / ${searchFixed.p50} ms`,
        `${CONNECTIONS} connections everywhere; baseline: fastify (no logging, no auth) + one raw \`pg\` SELECT of the recipient_status row by primary key, pool of 20, in the server's process; saturation by autocannon (whole milliseconds), fixed rate by an open-loop paced load (bench/lib/pacedLoad.ts)`,
        `raw \`pg\` PK SELECT without HTTP, ${CONNECTIONS} clients: ${raw.rps} req/s, p99 ${raw.p99.toFixed(1)} ms; one-row INSERT commit (fsync on), sequential: p50 ${commit.p50.toFixed(2)} ms, p99 ${commit.p99.toFixed(2)} ms`,
        `failures: single ${singleSat.failed + singleFixed.failed}, baseline ${baseSat.failed + baseFixed.failed}, search ${searchSat.failed + searchFixed.failed}`,
        'server in its own process (cold data-key cache), load generators in the bench process',
        'the single 接種状況 route folds the recipient stream from the event store (DESIGN: state is never read from a projection); every read is written to the access log (group commit)',
      );
      return { rows, notes };
    } finally {
      await child?.stop();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

if (process.env.BENCH_LOOKUP_CHILD) void serveChild();
else runIfMain(import.meta.url, run);
