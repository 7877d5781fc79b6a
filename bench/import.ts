/**
 * Issues 6 and 21.2: the CSV registration import end to end (Shift_JIS file → parse → validate → the ledger's batch
 * path: decide, claim, seal → one bulk append per batch), against a `COPY` of exactly the event rows the import
 * writes, prepared before the run, into an identical (migrated, indexed) events table in the same run.
 * Target: >= 0.5x that COPY; peak RSS < 300 MB at 1M rows (shown here as RSS not growing with rows: two sizes).
 * Sizes: BENCH_IMPORT_ROWS (comma-separated), else 50,000 and 150,000 (the largest that fit in about a minute on
 * the shared 2-core machine; 1M takes several minutes); quick: 5,000.
 * BENCH_IMPORT_PROFILE=dir with `node --cpu-prof --cpu-prof-dir=dir`: a CPU profile of the measured import alone
 * (bench/profiles/import.md).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { createDatabase } from './lib/database.js';
import { openOurStore } from './lib/ourStore.js';
import { withServer } from './lib/server.js';
import { serverCpu } from './lib/serverCpu.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { writeLargeCsv } from '../test/fixtures/csv/makeCsv.js';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { personalMigrations } from '../src/personal/migrations.js';
import { createDataKeys } from '../src/personal/dataKeys.js';
import { readRecipientCsv } from '../src/import/readRecipientCsv.js';
import { importRecipients } from '../src/import/importRecipients.js';
import { buildCall } from '../src/eventstore/postgres/appendCall.js';
import { copyText } from '../src/eventstore/postgres/appendBulk.js';
import type { EventStore, StreamWrite } from '../src/eventstore/contract.js';

const MB = 1024 * 1024;
const BATCH = Number(process.env.VRS_BENCH_IMPORT_BATCH ?? 1000);
/** Batches in flight; unset: the import's own default (2 since the ledger's registration pipeline). */
const CONCURRENCY = process.env.VRS_BENCH_IMPORT_CONCURRENCY ? Number(process.env.VRS_BENCH_IMPORT_CONCURRENCY) : undefined;
const actor = { role: 'municipality', sub: 'bench', municipality: '131016' };

/** Samples RSS every 50 ms while `work` runs; answers the work's result and the peak. */
const withPeakRss = async <T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
};

/** Wall seconds, this process's CPU seconds and the PostgreSQL server's CPU seconds spent by `work`. */
const measured = async <T>(pool: pg.Pool, work: () => Promise<T>) => {
  const pgCpu = await serverCpu(pool);
  const pgBefore = pgCpu ? await pgCpu() : 0;
  const self = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(self);
  return { value, wall, node: (used.user + used.system) / 1e6, pg: pgCpu ? (await pgCpu()) - pgBefore : NaN };
};

/**
 * The store as the import sees it, except that every bulk append (or, in builds before it, appendMany) writes the
 * rows it would send to PostgreSQL into `out` (COPY text) instead: the baseline's input, made by the import's own code.
 */
const capturingStore = (store: EventStore, out: WriteStream): EventStore => {
  const capture = async (writes: StreamWrite[]) => {
    const call = buildCall(writes, new Map(), new Date().toISOString());
    if (!out.write(copyText(call))) await once(out, 'drain');
    return call.streams.length;
  };
  return {
    ...store,
    appendBulk: async (writes) => ({ streams: writes.length, events: await capture(writes) }),
    appendMany: async (writes) => {
      await capture(writes);
      return writes.map((w) => ({ stream: w.stream, nextExpectedVersion: BigInt(w.events.length), positions: [], duplicate: false }));
    },
  };
};

const sizesOf = (quick: boolean) =>
  process.env.BENCH_IMPORT_ROWS ? process.env.BENCH_IMPORT_ROWS.split(',').map(Number) : quick ? [5_000] : [50_000, 150_000];

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'vrs-bench-import-'));
    try {
      for (const count of sizesOf(quick)) {
        const file = join(dir, `recipients-${count}-sjis.csv`);
        const eventsFile = join(dir, `events-${count}.copy`);
        await writeLargeCsv(file, count, { encoding: 'sjis' });
        const size = (await stat(file)).size;

        // Before the run: the event rows this import writes, made by the import itself into a file (untimed).
        const base = await openOurStore(await createDatabase(server, 'bench_import_base'), 10);
        const run = await openOurStore(await createDatabase(server, 'bench_import'), 10);
        try {
          await migrate(base.pool, 'personal', personalMigrations);
          await migrate(run.pool, 'personal', personalMigrations);
          const out = createWriteStream(eventsFile);
          const prepared = await importRecipients(
            { store: capturingStore(base.store, out), dataKeys: createDataKeys(base.pool, randomBytes(32)), hmacKey: randomBytes(32) },
            createReadStream(file),
            { actor, municipality: '131016', batchSize: BATCH },
          );
          out.end();
          await once(out, 'finish');
          if (prepared.imported !== count) throw new Error(`prepared ${prepared.imported} of ${count}`);

          // Baseline: PostgreSQL COPYs exactly those rows into an identical events table (same indexes, one statement).
          const client = await base.pool.connect();
          const copy = await measured(base.pool, async () => {
            try {
              await pipeline(
                createReadStream(eventsFile),
                client.query(copyStreams.from('COPY events (stream, version, type, data, metadata, recorded_at, hash, command_id) FROM STDIN')),
              );
            } finally {
              client.release();
            }
          });
          const events = Number((await base.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);

          // The parser alone (bytes → normalised rows), to split the end-to-end time.
          const parse = await measured(run.pool, async () => {
            let parsed = 0;
            for await (const batch of readRecipientCsv(createReadStream(file), { municipality: '131016' })) parsed += batch.length;
            return parsed;
          });

          global.gc?.();
          const profileFrom = process.hrtime.bigint();
          const deps = { store: run.store, dataKeys: createDataKeys(run.pool, randomBytes(32)), hmacKey: randomBytes(32) };
          const imp = await measured(run.pool, () =>
            withPeakRss(() => importRecipients(deps, createReadStream(file), { actor, municipality: '131016', batchSize: BATCH, concurrency: CONCURRENCY })),
          );
          const { result: answer, peak } = imp.value;
          // BENCH_IMPORT_PROFILE=dir (with `node --cpu-prof --cpu-prof-dir=dir`): the import's window on the profile's
          // own monotonic clock, for bench/lib/cpuProfileSummary.ts (diagnostic).
          if (process.env.BENCH_IMPORT_PROFILE) {
            const window = { from: Number(profileFrom / 1000n), to: Number(process.hrtime.bigint() / 1000n), doses: count, cpuUsPerDose: Math.round((imp.node * 1e6) / count) };
            await writeFile(join(process.env.BENCH_IMPORT_PROFILE, 'window.json'), JSON.stringify(window));
          }
          if (answer.imported !== count) throw new Error(`imported ${answer.imported} of ${count} (rejected ${answer.rejected.length})`);
          const written = Number((await run.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
          if (written !== events) throw new Error(`the import wrote ${written} events, the baseline copied ${events}`);

          const rate = (seconds: number) => Math.round(count / seconds);
          const perRow = (seconds: number) => Math.round((seconds * 1e6) / count);
          const n = count.toLocaleString('en');
          rows.push(
            {
              name: `import ${n} rows (Shift_JIS), end to end`,
              figure: rate(imp.wall),
              unit: 'rows/s',
              baseline: rate(copy.wall),
              baselineName: `COPY of its ${events.toLocaleString('en')} event rows`,
              ratio: copy.wall / imp.wall,
              target: '>= 0.5x COPY',
            },
            { name: `import ${n}: CPU per row, Node`, figure: perRow(imp.node), unit: 'µs', baseline: perRow(copy.node), baselineName: 'COPY (client)' },
            { name: `import ${n}: CPU per row, PostgreSQL`, figure: perRow(imp.pg), unit: 'µs', baseline: perRow(copy.pg), baselineName: 'COPY' },
            { name: `import ${n}: peak RSS`, figure: Math.round(peak / MB), unit: 'MB', target: '< 300 MB at 1M rows' },
            { name: `parser alone, ${n} rows`, figure: rate(parse.wall), unit: 'rows/s' },
          );
          notes.push(
            `${n} rows: file ${(size / MB).toFixed(1)} MB, ${events.toLocaleString('en')} events (RecipientRegistered + MyNumberClaimed); import ${imp.wall.toFixed(1)} s ` +
              `(Node ${imp.node.toFixed(1)} s CPU, PostgreSQL ${imp.pg.toFixed(1)} s CPU) in batches of ${BATCH}, ${CONCURRENCY ?? 'default'} in flight; ` +
              `COPY ${copy.wall.toFixed(1)} s (PostgreSQL ${copy.pg.toFixed(1)} s CPU); parse alone ${parse.wall.toFixed(1)} s (Node ${parse.node.toFixed(1)} s CPU)`,
          );
        } finally {
          await base.close();
          await run.close();
          await rm(eventsFile, { force: true });
          await rm(file, { force: true });
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { rows, notes };
  });

runIfMain(import.meta.url, run);
