/**
 * Issue 6: the CSV registration import end to end (Shift_JIS file → parse → validate → decide → seal → one
 * appendMany per batch), against a raw `COPY` of the same file into a plain table in the same run.
 * Targets: >= 0.5x raw COPY rows/s, peak RSS < 300 MB. Full: 1,000,000 rows; quick: 5,000.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { createDatabase } from './lib/database.js';
import { openOurStore } from './lib/ourStore.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { writeLargeCsv } from '../test/fixtures/csv/makeCsv.js';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { personalMigrations } from '../src/personal/migrations.js';
import { createDataKeys } from '../src/personal/dataKeys.js';
import { readRecipientCsv } from '../src/import/readRecipientCsv.js';
import { importRecipients } from '../src/import/importRecipients.js';

const MB = 1024 * 1024;
const BATCH = Number(process.env.VRS_BENCH_IMPORT_BATCH ?? 1000);
const CONCURRENCY = Number(process.env.VRS_BENCH_IMPORT_CONCURRENCY ?? 1);

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

/** Wall time spent waiting on each statement kind (overlapping waits counted once per statement). */
const timeStatements = (pool: pg.Pool) => {
  const spent = new Map<string, number>();
  const original = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const text = String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text ?? '');
    const kind = text.includes('INSERT INTO events') ? 'append' : text.includes('recipient_keys') ? 'data keys' : text.includes('LATERAL') ? 'heads' : 'other';
    const t0 = performance.now();
    const p = original(...args);
    void p.finally(() => spent.set(kind, (spent.get(kind) ?? 0) + performance.now() - t0)).catch(() => {});
    return p;
  };
  return spent;
};

const seconds = (t0: number) => (performance.now() - t0) / 1000;

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    // BENCH_IMPORT_ROWS: another size (diagnostics, profiles).
    const count = Number(process.env.BENCH_IMPORT_ROWS ?? 0) || (quick ? 5_000 : 1_000_000);
    const dir = await mkdtemp(join(tmpdir(), 'vrs-bench-import-'));
    const file = join(dir, 'recipients-sjis.csv');
    const url = await createDatabase(server, 'bench_import');
    const ours = await openOurStore(url, 10);
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    try {
      await writeLargeCsv(file, count, { encoding: 'sjis' });
      const size = (await stat(file)).size;
      await migrate(ours.pool, 'personal', personalMigrations);

      // Baseline: PostgreSQL parses and stores the same file itself (COPY … CSV, ENCODING 'SJIS') into a plain table.
      await ours.pool.query(`CREATE TABLE raw_recipients (municipality text, coupon text, address_number text, name text,
        name_kana text, birth_date text, sex text, address text, my_number text)`);
      const client = await ours.pool.connect();
      const copyStart = performance.now();
      try {
        await pipeline(createReadStream(file), client.query(copyStreams.from(`COPY raw_recipients FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'SJIS')`)));
      } finally {
        client.release();
      }
      const copyRate = count / seconds(copyStart);

      // The parser alone (bytes → normalised rows), to split the end-to-end time.
      const parseStart = performance.now();
      let parsed = 0;
      for await (const batch of readRecipientCsv(createReadStream(file), { municipality: '131016' })) parsed += batch.length;
      const parseRate = parsed / seconds(parseStart);

      const spent = timeStatements(ours.pool);
      const deps = { store: ours.store, pool: ours.pool, dataKeys: createDataKeys(ours.pool, randomBytes(32)), hmacKey: randomBytes(32) };
      const importStart = performance.now();
      const { result: answer, peak } = await withPeakRss(() =>
        importRecipients(deps, createReadStream(file), { actor: { role: 'municipality', sub: 'bench', municipality: '131016' }, municipality: '131016', batchSize: BATCH, concurrency: CONCURRENCY }),
      );
      const importSeconds = seconds(importStart);
      if (answer.imported !== count) throw new Error(`imported ${answer.imported} of ${count} (rejected ${answer.rejected.length})`);
      const importRate = count / importSeconds;

      rows.push(
        { name: `import ${count.toLocaleString('en')} rows (Shift_JIS), end to end`, figure: Math.round(importRate), unit: 'rows/s', baseline: Math.round(copyRate), baselineName: 'raw COPY', ratio: importRate / copyRate, target: '>= 0.5x raw COPY' },
        { name: 'import peak RSS', figure: Math.round(peak / MB), unit: 'MB', target: '< 300 MB' },
        { name: 'parser alone (bytes → normalised rows)', figure: Math.round(parseRate), unit: 'rows/s' },
      );
      const waited = [...spent.entries()].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ');
      notes.push(
        `file ${(size / MB).toFixed(1)} MB; import ${importSeconds.toFixed(1)} s in batches of ${BATCH}, ${CONCURRENCY} at a time (2 events per row: RecipientRegistered + MyNumberClaimed, 2 stream heads, 2 command ids, 1 data key)`,
        `time waiting on PostgreSQL during the import: ${waited}; parsing alone would take ${(count / parseRate).toFixed(1)} s (it overlaps the appends)`,
      );
    } finally {
      await ours.close();
      await rm(dir, { recursive: true, force: true });
    }
    return { rows, notes };
  });

runIfMain(import.meta.url, run);
