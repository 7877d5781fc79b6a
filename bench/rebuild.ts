/**
 * Issue 5: generate recipients' histories (registration + doses, personal fields sealed, as the ledger writes
 * them) through the store's bulk `appendMany`, then time a full rebuild of `recipient_status` against a raw
 * cursor read of the same events in the same run, folding in worker threads and in the rebuild's own thread.
 * Target: rebuild >= 0.7x raw read.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import {
  addDays,
  decide,
  evolve,
  initialState,
  municipalityCheckDigit,
  recipientStream,
  type RecipientCommand,
  type RecipientEvent,
} from '../src/domain/index.js';
import type { EventStore, StreamWrite } from '../src/eventstore/contract.js';
import type { DataKeys } from '../src/personal/dataKeys.js';
import { sealPersonal } from '../src/personal/personalCodec.js';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { blindIndexKey } from '../src/personal/blindIndex.js';
import { createDataKeys } from '../src/personal/dataKeys.js';
import { personalMigrations } from '../src/personal/migrations.js';
import { projectionMigrations } from '../src/projections/migrations.js';
import { createRecipientStatusProjection } from '../src/projections/recipientStatus/recipientStatusProjection.js';
import { rebuildProjection, type RebuildProgress } from '../src/projections/rebuild/rebuildProjection.js';
import { createDatabase } from './lib/database.js';
import { openOurStore } from './lib/ourStore.js';
import { withServer } from './lib/server.js';
import { serverCpu } from './lib/serverCpu.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const MUNICIPALITIES = Array.from({ length: 40 }, (_, k) => {
  const first5 = pad(13101 + k * 10, 5);
  return `${first5}${municipalityCheckDigit(first5)}`;
});
const KANA = ['ヤマダ', 'スズキ', 'サトウ', 'タナカ', 'ワタナベ', 'イトウ', 'ナカムラ', 'コバヤシ'];
const GIVEN = ['タロウ', 'ハナコ', 'イチロウ', 'ジロウ', 'サクラ', 'ユウキ'];

/** Recipient `i`: where they live, their coupon and the name the search bench looks for. */
export const recipientOf = (i: number) => ({
  municipality: MUNICIPALITIES[i % MUNICIPALITIES.length],
  coupon: pad(i, 10),
  nameKana: `${KANA[i % KANA.length]} ${GIVEN[Math.floor(i / KANA.length) % GIVEN.length]}`,
});
export const BENCH_MUNICIPALITIES = MUNICIPALITIES;

/** A valid history through the domain's own decide/evolve: registration, then doses 4 weeks apart. */
const historyOf = (i: number, doses: number): RecipientEvent[] => {
  const r = recipientOf(i);
  const today = '2024-06-01';
  let state = initialState();
  const all: RecipientEvent[] = [];
  const step = (command: RecipientCommand) => {
    const out = decide(command, state);
    if (!out.ok) throw new Error(`bench history ${i}: ${out.error.code}`);
    for (const e of out.value) state = evolve(state, e);
    all.push(...out.value);
  };
  step({ type: 'RegisterRecipient', today, municipality: r.municipality, coupon: r.coupon, addressNumber: `A${i}`, name: `接種 太郎${i}`, nameKana: r.nameKana, birthDate: `19${pad(40 + (i % 50), 2)}-0${1 + (i % 9)}-1${i % 10}`, sex: i % 2 ? 'F' : 'M', address: '東京都', medicalWorker: false });
  for (let d = 1; d <= doses; d++) {
    step({ type: 'RecordVaccination', today, doseNumber: d, date: addDays('2021-05-01', (d - 1) * 28 + (d > 2 ? 200 : 0)), vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: '1312345678', source: 'manual' });
  }
  return all;
};

/**
 * Appends `recipients` histories in calls of 250 streams (one write of all its events per stream), two calls in
 * flight, each stream's personal fields sealed under its own data key as the ledger does.
 */
export const appendRecipients = async (store: EventStore, dataKeys: DataKeys, o: { recipients: number; dosesEach: number; from?: number }) => {
  const t0 = process.hrtime.bigint();
  const from = o.from ?? 0;
  let events = 0;
  const chunk = 250;
  const writeChunk = async (start: number) => {
    const ids = Array.from({ length: Math.min(chunk, from + o.recipients - start) }, (_, k) => start + k);
    const streams = ids.map((i) => recipientStream(recipientOf(i).municipality, recipientOf(i).coupon));
    const keys = await dataKeys.forStreams(streams);
    const writes: StreamWrite[] = ids.map((i, k) => ({
      stream: streams[k],
      expected: 'no_stream',
      events: historyOf(i, o.dosesEach).map((e) => ({
        type: e.type,
        data: sealPersonal(keys.get(streams[k])!, streams[k], e.data as Record<string, unknown>),
        metadata: { actor: { role: 'municipality', sub: 'bench', municipality: recipientOf(i).municipality } },
      })),
    }));
    events += writes.reduce((n, w) => n + w.events.length, 0);
    await store.appendMany(writes);
  };
  const starts = Array.from({ length: Math.ceil(o.recipients / chunk) }, (_, k) => from + k * chunk);
  const lanes = [0, 1].map(async (lane) => {
    for (let k = lane; k < starts.length; k += 2) await writeChunk(starts[k]);
  });
  await Promise.all(lanes);
  return { recipients: o.recipients, events, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
};

/** Every column of an event, as the store's readAll reads it. */
const ALL_COLUMNS = 'position, transaction_id, stream, version, type, data, metadata, recorded_at, hash';
/** What the rebuild's bulk read (readAllBulk) takes: no metadata, no hash, the time as a float. */
const BULK_COLUMNS = 'position, transaction_id, stream, version, type, data, (extract(epoch FROM recorded_at) * 1000)::float8';

/** A raw server-side cursor over the same rows in the same order, fetched in the rebuild's batch size. */
const rawRead = async (url: string, batch: number, pgCpu: PgCpu, columns = ALL_COLUMNS): Promise<{ events: number; seconds: number; cpu: number; pgCpu: number }> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const pg0 = await pgCpu();
  let events = 0;
  try {
    await c.query('BEGIN');
    await c.query(`DECLARE raw CURSOR FOR SELECT ${columns} FROM events ORDER BY transaction_id, position`);
    for (;;) {
      const { rows } = await c.query(`FETCH ${batch} FROM raw`);
      events += rows.length;
      if (rows.length < batch) break;
    }
    await c.query('COMMIT');
  } finally {
    await c.end();
  }
  return { events, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: cpuSeconds(cpu0), pgCpu: (await pgCpu()) - pg0 };
};

type PgCpu = () => Promise<number>;

/** Node's own CPU (user + system) since `from`: what the process spent, whatever else ran on the machine. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const url = await createDatabase(server, 'bench_rebuild');
    const ours = await openOurStore(url, 10);
    const notes: string[] = [];
    try {
      await migrate(ours.pool, 'personal', personalMigrations);
      await migrate(ours.pool, 'projections', projectionMigrations);
      const master = randomBytes(32);
      const dataKeys = createDataKeys(ours.pool, master);
      // BENCH_EVENTS: a size between quick and full, for profiling.
      const events = Number(process.env.BENCH_EVENTS) || (quick ? 20_000 : 1_000_000);
      const gen = await appendRecipients(ours.store, dataKeys, { recipients: events / 4, dosesEach: 3 });
      notes.push(
        `${gen.events} events (${gen.recipients} recipients: registration with sealed personal fields + 3 doses each, one stream's events appended together), generated through appendMany in ${gen.seconds.toFixed(1)} s (${Math.round(gen.events / gen.seconds)} ev/s)`,
      );
      const batch = 10_000;
      const pgCpu: PgCpu = (await serverCpu(ours.pool)) ?? (async () => 0);
      const raw = await rawRead(url, batch, pgCpu);
      const lean = await rawRead(url, batch, pgCpu, BULK_COLUMNS);
      const threads = Math.max(1, availableParallelism() - 1);
      /** One rebuild, folding in this thread (0) or in worker threads; its seconds per phase and CPU. */
      const rebuildWith = async (workers: number) => {
        // A fresh key cache, as a rebuild in a new process would have.
        const projection = createRecipientStatusProjection(createDataKeys(ours.pool, master).getMany, blindIndexKey(randomBytes(32)));
        // Where the time goes: seconds from the start to the end of each phase.
        const phases = new Map<string, number>();
        const t0 = process.hrtime.bigint();
        const cpu0 = process.cpuUsage(); // the whole process: worker threads included
        const pg0 = await pgCpu();
        const onProgress = (p: RebuildProgress) => phases.set(p.phase, Number(process.hrtime.bigint() - t0) / 1e9);
        const rebuilt = await rebuildProjection({ pool: ours.pool, store: ours.store, projection, batch, onProgress, workers });
        return { workers, rebuilt, phases, cpu: cpuSeconds(cpu0), pgCpu: (await pgCpu()) - pg0 };
      };
      // Both ways in the same run, between the raw reads: a worker thread only pays where a core is free for it.
      const runs = [await rebuildWith(threads), await rebuildWith(0)];
      const raw2 = await rawRead(url, batch, pgCpu);
      const lean2 = await rawRead(url, batch, pgCpu, BULK_COLUMNS);
      const rawRate = (2 * raw.events) / (raw.seconds + raw2.seconds);
      const leanRate = (2 * lean.events) / (lean.seconds + lean2.seconds);
      const { rows } = await ours.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recipient_status');
      const million = raw.events / 1e6;
      const label = (w: number) => (w === 0 ? 'folding in its own thread' : `folding in ${w} worker thread${w > 1 ? 's' : ''}`);
      for (const r of runs) {
        notes.push(`rebuild ${label(r.workers)}: ${r.rebuilt.events} events in ${r.rebuilt.seconds.toFixed(1)} s into ${rows[0].n} rows (batches of ${batch}, shadow table, indexes after, swap); phases (s from start, at each phase's last report): ${[...r.phases].map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
      }
      notes.push(`raw cursor read: ${raw.seconds.toFixed(1)} s before and ${raw2.seconds.toFixed(1)} s after the rebuilds (mean used); of the rebuild's columns only: ${lean.seconds.toFixed(1)} s and ${lean2.seconds.toFixed(1)} s`);
      const perM = (node: number, server: number) => `${(node / million).toFixed(1)} + ${(server / million).toFixed(1)}`;
      notes.push(
        `CPU seconds per million events, Node (all threads) + PostgreSQL (robust to other load on the machine, unlike the rates): ${runs.map((r) => `rebuild ${label(r.workers)} ${perM(r.cpu, r.pgCpu)}`).join(', ')}, raw read ${perM((raw.cpu + raw2.cpu) / 2, (raw.pgCpu + raw2.pgCpu) / 2)}, raw read of the rebuild's columns ${perM((lean.cpu + lean2.cpu) / 2, (lean.pgCpu + lean2.pgCpu) / 2)}`,
      );
      const rateOf = (r: (typeof runs)[number]) => r.rebuilt.events / r.rebuilt.seconds;
      const out: BenchRow[] = [
        ...runs.map((r): BenchRow => ({ name: `recipient_status rebuild, ${label(r.workers)}`, figure: Math.round(rateOf(r)), unit: 'events/s', baseline: Math.round(rawRate), baselineName: 'raw cursor read', ratio: rateOf(r) / rawRate, target: '>= 0.7x raw read' })),
        // The rebuild reads only the columns its fold uses (readAllBulk): the same read done raw, to show what is fold.
        { name: `recipient_status rebuild, ${label(runs[0].workers)} (vs its columns)`, figure: Math.round(rateOf(runs[0])), unit: 'events/s', baseline: Math.round(leanRate), baselineName: "raw cursor read, rebuild's columns", ratio: rateOf(runs[0]) / leanRate },
      ];
      return { rows: out, notes };
    } finally {
      await ours.close();
    }
  });

runIfMain(import.meta.url, run);
