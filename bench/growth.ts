/**
 * Issue 21.4: does any cost grow with the ledger? The ledger is grown to 1M, 3M and 10M events (`--quick`:
 * 20k, 60k, a shape check within the quick run's budget; BENCH_GROWTH_SIZES=a,b,c for others) with realistic recipient streams (a registration with sealed
 * personal fields and 3 doses, 4 events per recipient, written through the store contract's `appendMany` as the
 * rebuild bench does), and at each size the same things are measured the same way:
 * - rebuild of every read model (recipient_status, statistics, scan_status) from position 0 (events/s, CPU);
 * - bytes on disk per event: events (table, indexes), read models, data keys;
 * - against a real server in its own process (every production route, projections running), at fixed offered
 *   rates (open loop, bench/lib/pacedLoad.ts): record dose, 接種状況 lookup, search (three kinds of kana prefix);
 *   p50/p99, and server + PostgreSQL CPU per request from /proc;
 * - projection lag p99 (sampled while the doses are recorded), WAL bytes (and full-page images) per dose;
 * - EXPLAIN (ANALYZE, BUFFERS) of the statements behind each of them: pages touched per call.
 * Every figure is also given as a ratio to the smallest size in the same run: the ratios show growth, the absolute
 * figures are noisy on a shared machine. The transparency log is off here (bench/proofs.ts measures it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { throwawayKeys } from '../test/support/throwawayKeys.js';
import { buildApp } from '../src/api/app.js';
import { signToken } from '../src/api/auth.js';
import { allRoutes } from '../src/api/routes/index.js';
import { openRuntime } from '../src/runtime/openRuntime.js';
import { loadConfig } from '../src/runtime/config.js';
import { recipientStream } from '../src/domain/index.js';
import { blindIndexKey, blindKana, kanaQueryIndex } from '../src/personal/blindIndex.js';
import { projectionsService } from '../src/projections/projectionsService.js';
import { projectionLag } from '../src/projections/runner/projectionLag.js';
import { SEARCH_PAGE_SQL } from '../src/projections/recipientStatus/searchRecipients.js';
import { cpuDuring, postmasterPid } from './lib/cpuTime.js';
import { createDatabase } from './lib/database.js';
import { forkServer } from './lib/forkServer.js';
import { pacedLoad, type PacedResult } from './lib/pacedLoad.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import { textTable } from './lib/format.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { appendRecipients, BENCH_MUNICIPALITIES, recipientOf } from './rebuild.js';

const CONNECTIONS = 50;
const EVENTS_PER_RECIPIENT = 4; // registration + 3 doses
const num = (name: string, fallback: number) => Number(process.env[name]) || fallback;
/** Offered rates (requests/s): well below saturation on this shared machine, so latency is not queueing. */
const DOSE_RATE = num('BENCH_GROWTH_DOSE_RATE', 100);
const LOOKUP_RATE = num('BENCH_GROWTH_LOOKUP_RATE', 200);
const SEARCH_RATE = num('BENCH_GROWTH_SEARCH_RATE', 20);
/** appendRecipients calls side by side while growing. */
const LANES = num('BENCH_GROWTH_LANES', 3);

/**
 * The generator gives every recipient of a municipality the same family name (KANA[i % 8], municipality i % 40),
 * so municipality 0 is all ヤマダ and a sixth of them ヤマダ ハナコ. Three searches there: a prefix every row
 * matches, one a sixth match (the GIN index finds them, then they are sorted by coupon), one nobody matches.
 */
const SEARCHES = [
  { label: 'every row matches', kana: 'ヤマダ' },
  { label: 'a sixth match', kana: 'ヤマダ ハナ' },
  { label: 'none match', kana: 'スズキ' },
] as const;
const SEARCH_MUNICIPALITY = BENCH_MUNICIPALITIES[0];

const discard = () => new Writable({ write: (_c, _e, done) => done() });

type Ready = { port: number };

/** The server in its own process, as `vrs serve` runs it (routes + projections), with the parent's keys. */
const serveChild = async () => {
  const env = JSON.parse(process.env.BENCH_GROWTH_CHILD!) as Record<string, string>;
  const runtime = await openRuntime(loadConfig(env));
  const app = await buildApp(runtime, allRoutes(runtime), { logStream: discard() });
  await projectionsService(runtime).start({ log: app.log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no listening address');
  process.send!({ port: address.port } satisfies Ready);
  process.on('message', async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  });
};

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** Rows by measure, then size, each with its ratio to the smallest size; the notes that go with them. */
const tableOf = (bySize: { size: number; figures: Figures }[]) => {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const first = bySize[0];
  if (!first) return { rows, notes };
  for (const [name, { unit }] of first.figures) {
    for (const { size, figures } of bySize) {
      const v = figures.get(name);
      if (!v) continue;
      const base = first.figures.get(name)!.figure;
      rows.push({ name: `${name} at ${label(size)}`, figure: v.figure, unit, baseline: base, baselineName: `at ${label(first.size)}`, ratio: base ? v.figure / base : undefined });
      if (v.note) notes.push(`${name} at ${label(size)}: ${v.note}`);
    }
  }
  return { rows, notes };
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** One size's figures, by measure name. */
type Figures = Map<string, { figure: number; unit: string; note?: string }>;

type Explained = { ms: number; buffers: number; plan: string };

/** EXPLAIN (ANALYZE, BUFFERS): execution time and shared pages touched (hit + read) by one statement. */
const explain = async (db: pg.Pool, text: string, values: unknown[]): Promise<Explained> => {
  const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
  const top = (rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown>; 'Execution Time': number }[])[0];
  const plan = top.Plan;
  const buffers = Number(plan['Shared Hit Blocks'] ?? 0) + Number(plan['Shared Read Blocks'] ?? 0);
  const text2 = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
  return { ms: top['Execution Time'], buffers, plan: text2 };
};

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const sizes = process.env.BENCH_GROWTH_SIZES
      ? process.env.BENCH_GROWTH_SIZES.split(',').map(Number)
      : quick
        ? [20_000, 60_000]
        : [1_000_000, 3_000_000, 10_000_000];
    const shotSeconds = num('BENCH_GROWTH_SECONDS', quick ? 3 : 10);
    const dbUrl = await createDatabase(server, 'bench_growth');
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-growth-'));
    const env = { DATABASE_URL: dbUrl, VRS_DATA_DIR: dataDir, ...throwawayKeys(), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', VRS_TRANSPARENCY_LOG: 'off' };
    const runtime = await openRuntime(loadConfig(env));
    const admin = new pg.Pool({ connectionString: dbUrl, max: 2 });
    admin.on('error', () => {});
    const service = projectionsService(runtime);
    await service.ready();
    const postgres = await postmasterPid(admin);
    const bix = blindIndexKey(runtime.keys.hmac);
    const bySize: { size: number; figures: Figures }[] = [];
    const notes: string[] = [];
    const plansFile = process.env.BENCH_GROWTH_PLANS ?? join(tmpdir(), 'vrs-growth-plans.txt');
    const plans: string[] = [];
    let recipients = 0;
    const dosed = new Set<number>();
    let child: ReturnType<typeof forkServer<Ready>> | null = null;
    const tokens = await Promise.all(BENCH_MUNICIPALITIES.map((m) => signToken(runtime.keys.jwtSecret, { role: 'municipality', municipality: m, sub: `bench-${m}` })));
    const siteToken = await signToken(runtime.keys.jwtSecret, { role: 'site', site: 'S001', sub: 'bench-site' });
    const started = Date.now();
    try {
      for (const size of sizes) {
        const f: Figures = new Map();
        const put = (name: string, figure: number, unit: string, note?: string) => f.set(name, { figure, unit, note });
        const log = (s: string) => console.log(`  [${size}] ${s} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

        // 1. Grow: whole recipient histories, sealed as the ledger seals them, through appendMany.
        const add = Math.max(0, Math.round(size / EVENTS_PER_RECIPIENT) - recipients);
        // LANES calls side by side on disjoint ranges (each keeps two appendMany in flight).
        const { value: gen, ms: genCpu } = await cpuDuring({ PostgreSQL: postgres }, async () => {
          const t = process.hrtime.bigint();
          const part = Math.ceil(add / LANES);
          const parts = await Promise.all(
            Array.from({ length: LANES }, (_, l) => Math.min(part, add - l * part)).map((n, l) =>
              n > 0 ? appendRecipients(runtime.store, runtime.dataKeys, { recipients: n, dosesEach: EVENTS_PER_RECIPIENT - 1, from: recipients + l * part }) : { events: 0 },
            ),
          );
          return { events: parts.reduce((a, p) => a + p.events, 0), seconds: Number(process.hrtime.bigint() - t) / 1e9 };
        });
        recipients += add;
        put('grow: appendMany', Math.round(gen.events / gen.seconds), 'events/s');
        put('grow: CPU per event (Node + PostgreSQL)', Math.round(((genCpu['load generator'] + genCpu.PostgreSQL) * 1000) / gen.events), 'µs', `${Math.round((genCpu['load generator'] * 1000) / gen.events)} + ${Math.round((genCpu.PostgreSQL * 1000) / gen.events)} µs`);
        log(`grew by ${gen.events} events in ${gen.seconds.toFixed(0)} s`);
        await admin.query('VACUUM (ANALYZE) events, recipient_keys');
        await admin.query('CHECKPOINT');

        // 2. Rebuild every read model from position 0 (also brings them to the head for the shots below: a model
        // left at 0, such as scan_status, would have the server catch it up through the whole log during the shots).
        for (const name of service.projections.map((p) => p.name)) {
          const { value: r, ms } = await cpuDuring({ PostgreSQL: postgres }, () => service.rebuild(name));
          put(`rebuild ${name}`, Math.round(r.events / r.seconds), 'events/s');
          put(`rebuild ${name}: CPU per event (Node + PostgreSQL)`, Math.round(((ms['load generator'] + ms.PostgreSQL) * 1000) / r.events), 'µs', `${Math.round((ms['load generator'] * 1000) / r.events)} + ${Math.round((ms.PostgreSQL * 1000) / r.events)} µs`);
          log(`rebuilt ${name}: ${r.events} events in ${r.seconds.toFixed(0)} s`);
        }
        await admin.query('VACUUM (ANALYZE) recipient_status, statistics_counts');
        await admin.query('CHECKPOINT');

        // 3. Bytes on disk.
        const { rows: sz } = await admin.query<Record<string, string>>(`SELECT
            (SELECT count(*) FROM events) AS events,
            pg_relation_size('events') AS events_heap, pg_indexes_size('events') AS events_indexes,
            pg_total_relation_size('events') AS events_total,
            pg_total_relation_size('recipient_status') AS status_total, pg_indexes_size('recipient_status') AS status_indexes,
            pg_total_relation_size('statistics_counts') AS stats_total,
            pg_total_relation_size('recipient_keys') AS keys_total,
            pg_database_size(current_database()) AS database`);
        const s = Object.fromEntries(Object.entries(sz[0]).map(([k, v]) => [k, Number(v)]));
        put('bytes per event: events table + indexes', s.events_total / s.events, 'B', `heap ${(s.events_heap / s.events).toFixed(0)} B + indexes ${(s.events_indexes / s.events).toFixed(0)} B (TOAST in the total)`);
        put('bytes per event: read models (recipient_status + statistics)', (s.status_total + s.stats_total) / s.events, 'B', `recipient_status ${(s.status_total / recipients).toFixed(0)} B per recipient, indexes ${(s.status_indexes / recipients).toFixed(0)} of them; statistics ${(s.stats_total / 1e6).toFixed(1)} MB`);
        put('bytes per event: whole database', s.database / s.events, 'B', `data keys ${(s.keys_total / recipients).toFixed(0)} B per recipient; database ${(s.database / 1e9).toFixed(2)} GB`);

        // 4. The server, in its own process, projections running from the rebuilt checkpoints.
        child = forkServer<Ready>(import.meta.url, 'BENCH_GROWTH_CHILD', env);
        const { port } = await child.ready;
        const url = `http://127.0.0.1:${port}`;
        const trees = { server: child.pid, PostgreSQL: postgres };
        const spread = (k: number) => (k * 7919 + size) % recipients;
        const lookupReq = (k: number) => {
          const r = recipientOf(spread(k));
          return { method: 'GET' as const, path: `/v1/recipients/${r.municipality}/${r.coupon}`, headers: { authorization: `Bearer ${tokens[spread(k) % tokens.length]}` } };
        };
        // Warm-up: a data-key cache and plans as a running server has them.
        await pacedLoad({ url, rate: LOOKUP_RATE, count: LOOKUP_RATE, connections: CONNECTIONS, request: (k) => lookupReq(k + 1_000_000) });

        // Record dose 4 for recipients spread over the whole ledger, each once.
        const doseCount = DOSE_RATE * shotSeconds;
        const picks: number[] = [];
        for (let k = 0; picks.length < doseCount; k++) {
          const i = (k * 104_729 + size * 7) % recipients;
          if (!dosed.has(i)) {
            dosed.add(i);
            picks.push(i);
          }
        }
        const doseReq = (k: number) => {
          const r = recipientOf(picks[k]);
          return {
            method: 'POST' as const,
            path: '/v1/vaccinations',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${siteToken}` },
            body: JSON.stringify({ municipality: r.municipality, coupon: r.coupon, doseNumber: 4, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' }),
          };
        };
        const walOf = async () => (await admin.query<{ lsn: string; fpi: string; records: string }>('SELECT pg_current_wal_lsn()::text AS lsn, wal_fpi AS fpi, wal_records AS records FROM pg_stat_wal')).rows[0];
        const lsnBytes = (lsn: string) => {
          const [hi, lo] = lsn.split('/');
          return parseInt(hi, 16) * 2 ** 32 + parseInt(lo, 16);
        };
        await admin.query('CHECKPOINT'); // every size starts its doses at the same point of the checkpoint cycle
        const wal0 = await walOf();
        // Lag as a reader sees it: from when an event is first seen at the store's head to when every projection's
        // checkpoint has passed it (sampled every ~50 ms). The runner's own secondsBehind compares the events' store
        // times, which after an idle spell reads as the whole spell.
        const lagMs: number[] = [];
        const lagPositions: number[] = [];
        const seen: { position: bigint; at: number }[] = [];
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const lag = await projectionLag(runtime.pool, runtime.store);
            const now = Date.now();
            const applied = lag.reduce((m, l) => (l.position < m ? l.position : m), lag[0]?.position ?? 0n);
            const head = lag.reduce((m, l) => (l.position + l.positionsBehind > m ? l.position + l.positionsBehind : m), 0n);
            if (!seen.length || head > seen[seen.length - 1].position) seen.push({ position: head, at: now });
            while (seen.length && seen[0].position <= applied) lagMs.push(now - seen.shift()!.at);
            lagPositions.push(Math.max(...lag.map((l) => Number(l.positionsBehind))));
            await new Promise((r) => setTimeout(r, 50));
          }
        })();
        const dose = await cpuDuring(trees, () => pacedLoad({ url, rate: DOSE_RATE, count: doseCount, connections: CONNECTIONS, request: doseReq }));
        // Until the projections have applied the last dose: how long after the load they caught up.
        const t0 = Date.now();
        for (;;) {
          const lag = await projectionLag(runtime.pool, runtime.store);
          if (lag.every((l) => l.positionsBehind === 0n)) break;
          if (Date.now() - t0 > 60_000) throw new Error('projections did not catch up within 60 s');
          await new Promise((r) => setTimeout(r, 20));
        }
        const catchUpMs = Date.now() - t0;
        sampling = false;
        await sampler;
        const wal1 = await walOf();
        const doses = dose.value.ok;
        lagMs.sort((a, b) => a - b);
        lagPositions.sort((a, b) => a - b);
        const cpuPer = (ms: Record<string, number>, n: number) => ({
          total: Math.round(((ms.server + ms.PostgreSQL) * 1000) / Math.max(1, n)),
          split: `server ${Math.round((ms.server * 1000) / Math.max(1, n))} + PostgreSQL ${Math.round((ms.PostgreSQL * 1000) / Math.max(1, n))} µs`,
        });
        const shot = (r: PacedResult) => `${r.ok} ok, ${r.failed} failed, ${r.rps} req/s achieved, p50 ${r.p50} ms, max ${r.max} ms`;
        put(`record dose at ${DOSE_RATE}/s: p99`, dose.value.p99, 'ms', shot(dose.value));
        const doseCpu = cpuPer(dose.ms, doses);
        put('record dose: CPU per dose', doseCpu.total, 'µs', doseCpu.split);
        put('projection lag p99 (while recording doses)', percentile(lagMs, 0.99), 'ms', `${lagMs.length} heads seen (sampled every ~50 ms), p50 ${percentile(lagMs, 0.5)} ms; positions behind p99 ${percentile(lagPositions, 0.99)}; caught up ${catchUpMs} ms after the last dose answered`);
        put('WAL bytes per dose', Math.round((lsnBytes(wal1.lsn) - lsnBytes(wal0.lsn)) / Math.max(1, doses)), 'B', `${((Number(wal1.fpi) - Number(wal0.fpi)) / Math.max(1, doses)).toFixed(2)} full-page images and ${((Number(wal1.records) - Number(wal0.records)) / Math.max(1, doses)).toFixed(1)} records per dose (first doses after a CHECKPOINT; includes the projections' writes)`);
        if (dose.value.failed) notes.push(`${size}: ${dose.value.failed} doses failed`);
        log(`doses: ${shot(dose.value)}; lag p99 ${percentile(lagMs, 0.99)} ms`);

        // 接種状況 (folds the stream from the store, writes the access log).
        const lookups = await cpuDuring(trees, () => pacedLoad({ url, rate: LOOKUP_RATE, count: LOOKUP_RATE * shotSeconds, connections: CONNECTIONS, request: lookupReq }));
        put(`接種状況 lookup at ${LOOKUP_RATE}/s: p99`, lookups.value.p99, 'ms', shot(lookups.value));
        const lookupCpu = cpuPer(lookups.ms, lookups.value.ok);
        put('接種状況 lookup: CPU per lookup', lookupCpu.total, 'µs', lookupCpu.split);
        log(`lookups: ${shot(lookups.value)}`);

        // Search: each kind on its own, in the municipality whose rows the generator named ヤマダ.
        const searchToken = tokens[0];
        for (const q of SEARCHES) {
          const count = Math.max(SEARCH_RATE, Math.round(SEARCH_RATE * shotSeconds * 0.6));
          const r = await cpuDuring(trees, () =>
            pacedLoad({ url, rate: SEARCH_RATE, count, connections: CONNECTIONS, request: () => ({ method: 'GET', path: `/v1/recipients?nameKana=${encodeURIComponent(q.kana)}&limit=20`, headers: { authorization: `Bearer ${searchToken}` } }) }),
          );
          put(`search (${q.label}) at ${SEARCH_RATE}/s: p99`, r.value.p99, 'ms', shot(r.value));
          const c = cpuPer(r.ms, r.value.ok);
          put(`search (${q.label}): CPU per search`, c.total, 'µs', c.split);
          log(`search ${q.label}: ${shot(r.value)}`);
        }
        await child.stop();
        child = null;

        // 5. The statements behind them: pages touched per call (what grows, if anything, shows here first).
        const someStream = recipientStream(recipientOf(spread(7)).municipality, recipientOf(spread(7)).coupon);
        const statements: [string, string, unknown[]][] = [
          ['read one stream (接種状況, a command\'s load)', `SELECT s.stream, e.* FROM unnest($1::text[]) AS s(stream) CROSS JOIN LATERAL (SELECT * FROM events WHERE stream = s.stream ORDER BY version LIMIT 1000) e`, [[someStream]]],
          ['stream head (append hint miss)', `SELECT s.stream, h.version, h.hash FROM unnest($1::text[]) AS s(stream) CROSS JOIN LATERAL (SELECT e.version, e.hash FROM events e WHERE e.stream = s.stream ORDER BY e.version DESC LIMIT 1) h`, [[someStream]]],
          ['store head (lag)', 'SELECT position FROM events ORDER BY position DESC LIMIT 1', []],
          ['projection tail (1000 after the head-1000)', `SELECT position FROM events WHERE (transaction_id, position) > (SELECT transaction_id, position FROM events ORDER BY position DESC OFFSET 1000 LIMIT 1) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY transaction_id, position LIMIT 1000`, []],
          ...SEARCHES.map((q): [string, string, unknown[]] => [
            `search page (${q.label})`,
            `SELECT stream, coupon FROM recipient_status WHERE municipality = $1 AND kana_bix @> ARRAY[$2::text] ORDER BY coupon LIMIT 21`,
            [SEARCH_MUNICIPALITY, kanaQueryIndex(bix, SEARCH_MUNICIPALITY, blindKana(q.kana)).index],
          ]),
          // A search by a status nobody in the generated ledger has: the partial index of rows not active.
          ['search page by status alone (transferred-out: nobody)', SEARCH_PAGE_SQL, ['recipient_status', SEARCH_MUNICIPALITY, null, null, 'transferred-out', null, 21]],
          // What searchRecipients runs for a common prefix (COMMON_KANA_MATCHES): the count, then a walk in coupon order.
          [
            'search: count of matches up to 1000 (every row matches)',
            `SELECT count(*) FROM (SELECT 1 FROM recipient_status WHERE municipality = $1 AND kana_bix @> ARRAY[$2::text] LIMIT 1000) m`,
            [SEARCH_MUNICIPALITY, kanaQueryIndex(bix, SEARCH_MUNICIPALITY, blindKana(SEARCHES[0].kana)).index],
          ],
          [
            'search page, coupon walk of 500 (every row matches)',
            `SELECT stream, coupon FROM (SELECT * FROM recipient_status WHERE municipality = $1 ORDER BY coupon LIMIT 500) w WHERE $2::text = ANY(kana_bix) ORDER BY coupon LIMIT 21`,
            [SEARCH_MUNICIPALITY, kanaQueryIndex(bix, SEARCH_MUNICIPALITY, blindKana(SEARCHES[0].kana)).index],
          ],
        ];
        for (const [name, text, values] of statements) {
          const e = await explain(admin, text, values);
          put(`EXPLAIN ${name}: pages`, e.buffers, 'pages', `${e.ms.toFixed(2)} ms`);
          plans.push(`== ${size} events: ${name}\n${e.plan}\n`);
        }
        bySize.push({ size, figures: f });
        await writeFile(plansFile, plans.join('\n'));
        log('done');
        // The table so far, in case a later (bigger) size does not finish.
        const sofar = tableOf(bySize);
        console.log(`${textTable(sofar.rows)}\n${sofar.notes.map((n) => `- ${n}`).join('\n')}`);
      }
    } finally {
      await child?.stop();
      await runtime.close();
      await admin.end();
      // The bench's database can take gigabytes: gone as soon as the run is.
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query('DROP DATABASE IF EXISTS bench_growth WITH (FORCE)').catch(() => {});
      await c.end();
      await rm(dataDir, { recursive: true, force: true });
    }

    notes.push(
      `${sizes.map(label).join(', ')} events of ${EVENTS_PER_RECIPIENT} per recipient (registration + 3 doses, personal fields sealed), grown through appendMany (${LANES * 2} calls in flight), then every read model rebuilt; ratios are at this size / at ${label(sizes[0])} (1.00x = flat)`,
      `fixed offered rates (open loop, ${CONNECTIONS} connections, ${shotSeconds} s a shot): doses ${DOSE_RATE}/s, lookups ${LOOKUP_RATE}/s, searches ${SEARCH_RATE}/s; server in its own process with every route and the projections (transparency log off); CPU per request from /proc (server process + PostgreSQL)`,
      `query plans of every size in ${plansFile}; the whole run took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const { rows, notes: sizeNotes } = tableOf(bySize);
    return { rows, notes: [...sizeNotes, ...notes] };
  });

if (process.env.BENCH_GROWTH_CHILD) void serveChild();
else runIfMain(import.meta.url, run);
