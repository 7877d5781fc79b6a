/**
 * Issue 18: disaster recovery, measured.
 * - `vrs backup` (one snapshot, COPY to files, SHA-256 of each) and `vrs restore`'s own work (verify every file and
 *   chain, then load in one transaction) in MB/s and events/s, beside a plain file copy of the same bytes.
 * - Writes with a synchronous standby beside without one: one event per append from 16 writers, throughput
 *   and p99 latency, on a primary of its own with a streaming standby (fsync on, both on this machine's disk).
 * - Time from losing the primary (its PostgreSQL killed with SIGKILL) to a promoted server that commits a write.
 * Read-model rebuild after a restore is measured by bench/rebuild.ts and left out here.
 */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/eventstore/embedded.js';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { createDataKeys } from '../src/personal/dataKeys.js';
import { personalMigrations } from '../src/personal/migrations.js';
import { backup } from '../src/recovery/backup.js';
import { loadBackup } from '../src/recovery/loadBackup.js';
import { stopCluster } from '../src/recovery/runningCluster.js';
import { makeStandby, promoteStandby, waitStreaming } from '../src/recovery/standby.js';
import { verifyBackup } from '../src/recovery/verifyBackup.js';
import { createDatabase } from './lib/database.js';
import { openOurStore } from './lib/ourStore.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { appendRecipients } from './rebuild.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const cpuOf = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

/** A plain copy of the backup's files (what `cp -r` would do): the floor for moving the same bytes. */
const plainCopy = async (files: string[], from: string, to: string) => {
  const t0 = process.hrtime.bigint();
  for (const f of files) {
    await mkdir(dirname(join(to, f)), { recursive: true });
    await copyFile(join(from, f), join(to, f));
  }
  return seconds(t0);
};

/** `writers` appenders, one event per append, each to its own streams, for `ms`: appends/s and p99 ms. */
const writeLoad = async (url: string, writers: number, ms: number, tag: string) => {
  const ours = await openOurStore(url, writers);
  const latencies: number[] = [];
  const until = Date.now() + ms;
  try {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; Date.now() < until; i++) {
          const t0 = process.hrtime.bigint();
          await ours.store.append(`bench-${tag}-${w}-${i}`, [{ type: 'BenchWritten', data: { w, i }, metadata: {} }], { expected: 'no_stream' });
          latencies.push(seconds(t0) * 1000);
        }
      }),
    );
  } finally {
    await ours.close();
  }
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / (ms / 1000), p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, n: latencies.length };
};

const setSync = async (url: string, on: boolean) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(on ? `ALTER SYSTEM SET synchronous_standby_names = '*'` : 'ALTER SYSTEM RESET synchronous_standby_names');
    await c.query('SELECT pg_reload_conf()');
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await c.end();
  }
};

const replication = async (quick: boolean, rows: BenchRow[], notes: string[]) => {
  const work = await mkdtemp(join(tmpdir(), 'vrs-bench-recovery-'));
  await chmod(work, 0o711);
  const primary = await startEmbeddedPostgres({ dataDir: join(work, 'primary'), settings: { max_wal_senders: '10', max_replication_slots: '10' } });
  let promotedDir: string | null = null;
  try {
    await openOurStore(primary.url, 1).then((o) => o.close()); // schema
    const t0 = process.hrtime.bigint();
    const standby = await makeStandby({ primaryUrl: primary.url, dataDir: join(work, 'standby') });
    promotedDir = standby.pgDir;
    const standbyUrl = (await startEmbeddedPostgres({ dataDir: join(work, 'standby') })).url;
    await waitStreaming(standbyUrl);
    notes.push(`standby made (base backup of ${(standby.bytes / 1e6).toFixed(1)} MB over SQL) and streaming in ${seconds(t0).toFixed(1)} s`);
    const ms = quick ? 3000 : 8000;
    const writers = 16;
    // Alternating, so a drift of the machine's other load falls on both.
    const async1 = await writeLoad(primary.url, writers, ms, 'a1');
    await setSync(primary.url, true);
    const sync1 = await writeLoad(primary.url, writers, ms, 's1');
    await setSync(primary.url, false);
    const async2 = await writeLoad(primary.url, writers, ms, 'a2');
    await setSync(primary.url, true);
    const sync2 = await writeLoad(primary.url, writers, ms, 's2');
    const a = { rate: (async1.rate + async2.rate) / 2, p99: (async1.p99 + async2.p99) / 2 };
    const s = { rate: (sync1.rate + sync2.rate) / 2, p99: (sync1.p99 + sync2.p99) / 2 };
    rows.push({ name: 'append, 1 event, 16 writers, synchronous standby', figure: Math.round(s.rate), unit: 'appends/s', baseline: Math.round(a.rate), baselineName: 'no standby wait (async)', ratio: s.rate / a.rate });
    rows.push({ name: 'append p99, synchronous standby', figure: Number(s.p99.toFixed(1)), unit: 'ms', baseline: Number(a.p99.toFixed(1)), baselineName: 'no standby wait (async)', ratio: s.p99 / a.p99 });
    notes.push(`writes: ${ms / 1000} s per run, async ${Math.round(async1.rate)}/${Math.round(async2.rate)} appends/s (p99 ${async1.p99.toFixed(1)}/${async2.p99.toFixed(1)} ms), sync ${Math.round(sync1.rate)}/${Math.round(sync2.rate)} (p99 ${sync1.p99.toFixed(1)}/${sync2.p99.toFixed(1)} ms)`);

    // Primary loss: SIGKILL its postmaster, promote, and time until a write commits on the promoted server.
    const pid = Number((await readFile(join(work, 'primary', 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const k0 = process.hrtime.bigint();
    process.kill(pid, 'SIGKILL');
    await promoteStandby(join(work, 'standby'));
    const c = new pg.Client({ connectionString: standbyUrl });
    await c.connect();
    await c.query(`INSERT INTO events (stream, version, type, data, metadata, recorded_at, hash) VALUES ('bench-after-failover', 1, 'BenchWritten', '{}', '{}', now(), '\\x00')`);
    await c.end();
    const failover = seconds(k0);
    rows.push({ name: 'primary lost → promoted standby commits a write', figure: Number(failover.toFixed(2)), unit: 's' });
    notes.push('failover time covers pg_ctl promote and the first commit on the promoted server; a `vrs serve` started on it adds its own start-up (a few seconds of Node and tsx)');
  } finally {
    if (promotedDir) await stopCluster(promotedDir).catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
};

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const notes: string[] = [];
    const rows: BenchRow[] = [];
    const url = await createDatabase(server, 'bench_recovery');
    const ours = await openOurStore(url, 10);
    const work = await mkdtemp(join(tmpdir(), 'vrs-bench-backup-'));
    try {
      await migrate(ours.pool, 'personal', personalMigrations);
      const keys = { kek: randomBytes(32), hmac: randomBytes(32), epoch: 0 };
      const events = Number(process.env.BENCH_EVENTS) || (quick ? 20_000 : 200_000);
      const gen = await appendRecipients(ours.store, createDataKeys(ours.pool, keys.kek), { recipients: events / 4, dosesEach: 3 });
      notes.push(`${gen.events} events of ${gen.recipients} recipients (sealed personal fields, 3 doses each) and their wrapped data keys`);

      let c0 = process.cpuUsage();
      const b = await backup({ pool: ours.pool, dataDir: work, dir: join(work, 'backup'), keys });
      const backupCpu = cpuOf(c0);
      const files = b.manifest.files.map((f) => f.path);
      const copySeconds = await plainCopy(files, join(work, 'backup'), join(work, 'copy'));
      const mb = b.bytes / 1e6;
      rows.push({ name: 'backup (snapshot, COPY, SHA-256, manifest)', figure: Number((mb / b.seconds).toFixed(1)), unit: 'MB/s', baseline: Number((mb / copySeconds).toFixed(1)), baselineName: 'plain file copy of the same bytes', ratio: copySeconds / b.seconds });
      rows.push({ name: 'backup', figure: Math.round(gen.events / b.seconds), unit: 'events/s' });

      const target = await createDatabase(server, 'bench_recovery_restored');
      const restored = await openOurStore(target, 4);
      try {
        await migrate(restored.pool, 'personal', personalMigrations);
        c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const v = await verifyBackup(join(work, 'backup'));
        const verifySeconds = seconds(t0);
        await loadBackup({ pool: restored.pool, dir: join(work, 'backup'), dataDir: join(work, 'restored-data'), manifest: v.manifest });
        const restoreSeconds = seconds(t0);
        const restoreCpu = cpuOf(c0);
        const copy2 = await plainCopy(files, join(work, 'backup'), join(work, 'copy2'));
        const copyMean = (copySeconds + copy2) / 2;
        rows.push({ name: 'restore: verify files and chains, then load', figure: Number((mb / restoreSeconds).toFixed(1)), unit: 'MB/s', baseline: Number((mb / copyMean).toFixed(1)), baselineName: 'plain file copy of the same bytes', ratio: copyMean / restoreSeconds });
        rows.push({ name: 'restore: verify and load', figure: Math.round(gen.events / restoreSeconds), unit: 'events/s' });
        notes.push(
          `${mb.toFixed(1)} MB in ${files.length} files; backup ${b.seconds.toFixed(2)} s (Node CPU ${backupCpu.toFixed(2)} s), restore ${restoreSeconds.toFixed(2)} s of which verify ${verifySeconds.toFixed(2)} s (Node CPU ${restoreCpu.toFixed(2)} s), plain copy ${copySeconds.toFixed(2)} / ${copy2.toFixed(2)} s (page cache warm: the copy reads from memory)`,
        );
      } finally {
        await restored.close();
      }
      await replication(quick, rows, notes);
      return { rows, notes };
    } finally {
      await ours.close();
      await rm(work, { recursive: true, force: true });
    }
  });

runIfMain(import.meta.url, run);
