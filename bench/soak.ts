/**
 * Issue 21.6: memory under a long mixed load. The real `vrs serve` (every route, both projections, the
 * transparency log's signer, request logging at info to /dev/null) runs in its own process on a fresh database;
 * 20 writers loop over register → record dose 1 → read 接種状況 → search → record dose 2 of their previous
 * recipient, while 10 clients hold /v1/statistics/live open. Every SAMPLE seconds the server's RSS (VmRSS from
 * /proc/<pid>/status) and V8 heap (its own /metrics) are printed with the requests and errors so far.
 * At the end nothing may be lost: every dose answered 201 must be in the ledger (events) and in the read model
 * (recipient_status), every registration answered 201 in both too.
 *
 * `node --import tsx bench/soak.ts --minutes 30 [--sample-seconds 30] [--snapshots 2,8]` (heap snapshots of the
 * server, by SIGUSR2, at those minutes, into a temp folder printed at the end: diff them with
 * bench/lib/heapDiff.ts). MALLOC_ARENA_MAX and other environment variables reach the server as set.
 * Not part of `npm run bench` (it exports no `run`): a soak is long by design.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { throwawayKeys } from '../test/support/throwawayKeys.js';
import { signToken } from '../src/api/auth.js';
import { createDatabase } from './lib/database.js';
import { withServer } from './lib/server.js';
import { textTable } from './lib/format.js';
import { isMain, printResult } from './lib/standalone.js';
import type { BenchResult, BenchRow } from './lib/types.js';

const WRITERS = 20;
const LIVE_CLIENTS = 10;
const MUNICIPALITIES = ['131016', '011002', '141003'];
const KANA = ['ヤマダ タロウ', 'スズキ ハナコ', 'タナカ イチロウ', 'サトウ ミサキ', 'ワタナベ ケン', 'イトウ ユイ'];
const root = fileURLToPath(new URL('..', import.meta.url));

/** A valid 12-digit My Number from a serial (check digit per DESIGN.md). */
export const myNumberOf = (serial: number) => {
  const body = String(10_000_000_000 + serial).slice(-11);
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += Number(body[11 - n]) * (n <= 6 ? n + 1 : n - 5);
  const r = sum % 11;
  return `${body}${r <= 1 ? 0 : 11 - r}`;
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS * 2 });

type Answer = { status: number; body: string };
const call = (port: number, method: string, path: string, token: string, body?: unknown) =>
  new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });

/** VmRSS and VmHWM of a process in MB, from /proc (null once it is gone). */
const procMemory = async (pid: number) => {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (!text) return null;
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
};

/** CPU seconds of one process (utime + stime). */
const procCpuSeconds = async (pid: number) => {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return NaN;
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

/** The server's V8 heap as its /metrics reports it (prom-client's default metrics), in MB. */
const heapOf = async (port: number) => {
  const { body } = await call(port, 'GET', '/metrics', '');
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body)?.[1] ?? NaN) / 1024 / 1024;
  return { heapUsed: value('nodejs_heap_size_used_bytes'), heapTotal: value('nodejs_heap_size_total_bytes'), external: value('nodejs_external_memory_bytes') };
};

/** One SSE reader of /v1/statistics/live: counts bytes and frames; reconnects (counted) if the server cuts it. */
const liveClient = (port: number, token: string, stopped: () => boolean) => {
  const seen = { frames: 0, bytes: 0, drops: 0 };
  const connect = () => {
    const req = http.get({ host: '127.0.0.1', port, path: '/v1/statistics/live', headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', (c: Buffer) => {
        seen.bytes += c.length;
        for (let i = c.indexOf('event: delta'); i !== -1; i = c.indexOf('event: delta', i + 1)) seen.frames++;
      });
      res.on('end', again);
      res.on('error', again);
    });
    req.on('error', again);
    close = () => req.destroy();
  };
  const again = () => {
    if (stopped()) return;
    seen.drops++;
    setTimeout(connect, 1000);
  };
  let close = () => {};
  connect();
  return { seen, close: () => close() };
};

type Sample = { minute: number; rss: number; heapUsed: number; heapTotal: number; external: number; requests: number; errors: number; rps: number; cpu: number };

export type SoakOptions = { minutes: number; sampleSeconds: number; snapshots: number[]; databaseUrl?: string };

export const soak = async ({ minutes, sampleSeconds, snapshots, databaseUrl }: SoakOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const dbUrl = await createDatabase(server, 'bench_soak');
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-soak-'));
    const snapshotDir = await mkdtemp(join(tmpdir(), 'vrs-soak-heap-'));
    const keys = throwawayKeys();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`, join(root, 'src/cli/main.ts'), 'serve'], {
      cwd: root,
      env: { ...process.env, ...keys, DATABASE_URL: dbUrl, VRS_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      // Production request logging at info, to nowhere: its cost counts, not its disk.
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const owner = new pg.Pool({ connectionString: dbUrl, max: 2 });
    owner.on('error', () => {});
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    let stopping = false;
    const live: ReturnType<typeof liveClient>[] = [];
    try {
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`vrs serve exited with ${child.exitCode}`);
        const ok = await call(port, 'GET', '/readyz', '').then((a) => a.status === 200, () => false);
        if (ok) break;
        if (i > 600) throw new Error('vrs serve did not become ready in 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const secret = new TextEncoder().encode(keys.VRS_JWT_SECRET);
      const municipalityTokens = await Promise.all(MUNICIPALITIES.map((m) => signToken(secret, { role: 'municipality', municipality: m, sub: `soak-clerk-${m}` })));
      const siteTokens = await Promise.all(Array.from({ length: WRITERS }, (_, w) => signToken(secret, { role: 'site', site: `S${String(w).padStart(3, '0')}`, sub: `soak-site-${w}` })));
      const ministry = await signToken(secret, { role: 'ministry', sub: 'soak-ministry' });
      for (let i = 0; i < LIVE_CLIENTS; i++) live.push(liveClient(port, ministry, () => stopping));

      const count = { requests: 0, errors: 0 };
      const errorsByKind = new Map<string, number>();
      const acked = { doseStreams: [] as string[], doseNumbers: [] as number[], registered: [] as string[] };
      const ask = async (method: string, path: string, token: string, body?: unknown) => {
        count.requests++;
        try {
          const a = await call(port, method, path, token, body);
          if (a.status >= 300) {
            count.errors++;
            const kind = `${method} ${path.split('?')[0].replace(/\d{6}\/\d{10}/, ':m/:c')} ${a.status} ${/"code":"([A-Z_]+)"/.exec(a.body)?.[1] ?? ''}`;
            errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
          }
          return a.status;
        } catch (e) {
          count.errors++;
          const kind = `${method} ${(e as Error).message}`;
          errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
          return 0;
        }
      };

      const deadline = Date.now() + minutes * 60_000;
      let serial = 0;
      const writer = async (w: number) => {
        const municipality = MUNICIPALITIES[w % MUNICIPALITIES.length];
        const clerk = municipalityTokens[w % MUNICIPALITIES.length];
        const site = siteTokens[w];
        const siteCode = `S${String(w).padStart(3, '0')}`;
        let previous: { coupon: string; stream: string } | null = null;
        while (Date.now() < deadline) {
          const n = serial++;
          const coupon = String(n).padStart(10, '0');
          const stream = `recipient-${municipality}-${coupon}`;
          const kana = KANA[n % KANA.length];
          const birthDate = `19${40 + (n % 60)}-0${1 + (n % 9)}-1${n % 10}`;
          const registered = await ask('POST', '/v1/recipients', clerk, {
            municipality,
            coupon,
            addressNumber: `A${n}`,
            name: `接種 太郎${n}`,
            nameKana: kana,
            birthDate,
            sex: n % 2 ? 'M' : 'F',
            address: `東京都千代田区千代田${n % 100}-1`,
            ...(n % 2 === 0 ? { myNumber: myNumberOf(n) } : {}),
          });
          if (registered === 201) acked.registered.push(stream);
          else continue;
          const dose = (coupon: string, doseNumber: number, date: string) =>
            ask('POST', '/v1/vaccinations', site, { municipality, coupon, doseNumber, date, vaccine: { maker: 'pfizer', lot: `FA${1000 + (n % 50)}` }, siteCode, commandId: randomUUID() });
          if ((await dose(coupon, 1, '2025-06-02')) === 201) {
            acked.doseStreams.push(stream);
            acked.doseNumbers.push(1);
          }
          await ask('GET', `/v1/recipients/${municipality}/${coupon}`, clerk);
          await ask('GET', `/v1/recipients?municipality=${municipality}&nameKana=${encodeURIComponent(kana.slice(0, 2))}&birthDate=${birthDate}`, clerk);
          if (previous && (await dose(previous.coupon, 2, '2025-07-01')) === 201) {
            acked.doseStreams.push(previous.stream);
            acked.doseNumbers.push(2);
          }
          previous = { coupon, stream };
        }
      };

      const samples: Sample[] = [];
      const started = Date.now();
      const cpu0 = await procCpuSeconds(child.pid!);
      let lastRequests = 0;
      let lastAt = started;
      const header = 'minute   RSS MB  heap used  heap total  external  requests  errors  req/s  server CPU s';
      const sample = async () => {
        const mem = await procMemory(child.pid!);
        const heap = await heapOf(port).catch(() => ({ heapUsed: NaN, heapTotal: NaN, external: NaN }));
        const now = Date.now();
        const s: Sample = {
          minute: (now - started) / 60_000,
          rss: mem?.rss ?? NaN,
          ...heap,
          requests: count.requests,
          errors: count.errors,
          rps: ((count.requests - lastRequests) * 1000) / Math.max(1, now - lastAt),
          cpu: (await procCpuSeconds(child.pid!)) - cpu0,
        };
        lastRequests = count.requests;
        lastAt = now;
        samples.push(s);
        console.log(
          `${s.minute.toFixed(1).padStart(6)}  ${s.rss.toFixed(0).padStart(7)}  ${s.heapUsed.toFixed(0).padStart(9)}  ${s.heapTotal.toFixed(0).padStart(10)}  ${s.external.toFixed(0).padStart(8)}  ${String(s.requests).padStart(8)}  ${String(s.errors).padStart(6)}  ${s.rps.toFixed(0).padStart(5)}  ${s.cpu.toFixed(0).padStart(12)}`,
        );
      };
      console.log(`  soak: ${minutes} min, ${WRITERS} writers, ${LIVE_CLIENTS} live clients; server pid ${child.pid}, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'}`);
      console.log(header);
      await sample();
      const ticker = setInterval(() => void sample(), sampleSeconds * 1000);
      const snapshotTimers = snapshots.map((m) =>
        setTimeout(() => {
          console.log(`  heap snapshot at ${m} min (SIGUSR2) into ${snapshotDir}`);
          child.kill('SIGUSR2');
        }, m * 60_000),
      );
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      clearInterval(ticker);
      for (const t of snapshotTimers) clearTimeout(t);
      await sample();
      const writeSeconds = (Date.now() - started) / 1000;
      const serverCpu = samples[samples.length - 1].cpu;

      // Nothing lost: every 201 is in the ledger and, once the projections have caught up, in the read model.
      const lostIn = async () => {
        const { rows: r } = await owner.query<{ ledger: string; model: string; regLedger: string; regModel: string }>(
          `SELECT
             (SELECT count(*) FROM unnest($1::text[], $2::int[]) AS a(stream, dose)
                WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream = a.stream AND e.type = 'VaccinationRecorded' AND (e.data->>'doseNumber')::int = a.dose)) AS ledger,
             (SELECT count(*) FROM unnest($1::text[], $2::int[]) AS a(stream, dose)
                WHERE NOT EXISTS (SELECT 1 FROM recipient_status r WHERE r.stream = a.stream AND r.dose_count >= a.dose)) AS model,
             (SELECT count(*) FROM unnest($3::text[]) AS a(stream)
                WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream = a.stream AND e.type = 'RecipientRegistered')) AS "regLedger",
             (SELECT count(*) FROM unnest($3::text[]) AS a(stream)
                WHERE NOT EXISTS (SELECT 1 FROM recipient_status r WHERE r.stream = a.stream)) AS "regModel"`,
          [acked.doseStreams, acked.doseNumbers, acked.registered],
        );
        return { ledger: Number(r[0].ledger), model: Number(r[0].model), regLedger: Number(r[0].regLedger), regModel: Number(r[0].regModel) };
      };
      let lost = await lostIn();
      for (let i = 0; i < 120 && lost.ledger + lost.model + lost.regLedger + lost.regModel > 0; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        lost = await lostIn();
      }
      const frames = live.reduce((a, c) => a + c.seen.frames, 0);
      const drops = live.reduce((a, c) => a + c.seen.drops, 0);
      const hwm = (await procMemory(child.pid!))?.hwm ?? NaN;

      console.log('\nRSS over time (MB):');
      console.log(textTable(samples.map((s) => ({ name: `${s.minute.toFixed(1)} min`, figure: s.rss, unit: `MB RSS, heap ${s.heapUsed.toFixed(0)} MB, ${s.requests} requests` }))));
      const warm = samples.find((s) => s.minute >= Math.min(5, minutes / 3)) ?? samples[0];
      const last = samples[samples.length - 1];
      rows.push(
        { name: 'server RSS at start (before load)', figure: samples[0].rss, unit: 'MB' },
        { name: `server RSS once warm (${warm.minute.toFixed(1)} min)`, figure: warm.rss, unit: 'MB' },
        { name: `server RSS at the end (${last.minute.toFixed(1)} min)`, figure: last.rss, unit: 'MB', baseline: warm.rss, baselineName: 'once warm', ratio: last.rss / warm.rss, target: 'flat once warm' },
        { name: 'server peak RSS (VmHWM)', figure: hwm, unit: 'MB' },
        { name: 'server heap used at the end', figure: last.heapUsed, unit: 'MB', baseline: warm.heapUsed, baselineName: 'once warm' },
        { name: 'requests', figure: count.requests, unit: '' },
        { name: 'request rate', figure: count.requests / writeSeconds, unit: 'req/s' },
        { name: 'server CPU per request', figure: (serverCpu * 1e6) / count.requests, unit: 'µs' },
        { name: 'errors', figure: count.errors, unit: '', target: '0' },
        { name: 'acknowledged doses lost (ledger + read model)', figure: lost.ledger + lost.model, unit: '', target: '0' },
        { name: 'acknowledged registrations lost (ledger + read model)', figure: lost.regLedger + lost.regModel, unit: '', target: '0' },
      );
      notes.push(
        `${minutes} min; ${WRITERS} writers (register → dose 1 → 接種状況 → search → dose 2 of the previous one) and ${LIVE_CLIENTS} live clients ` +
          `(${frames} delta frames received, ${drops} reconnects); ${acked.registered.length} registrations and ${acked.doseStreams.length} doses acknowledged`,
        `lost: ${lost.ledger} doses not in the ledger, ${lost.model} not in recipient_status; ${lost.regLedger} registrations not in the ledger, ${lost.regModel} not in recipient_status`,
        `server: vrs serve (all routes, projections, transparency log), LOG_LEVEL=${process.env.LOG_LEVEL ?? 'info'} to /dev/null, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'}; RSS from /proc/<pid>/status, heap from /metrics, every ${sampleSeconds} s`,
        `RSS over time (minute: MB): ${samples.map((s) => `${s.minute.toFixed(1)}: ${s.rss.toFixed(0)}`).join(', ')}`,
      );
      if (errorsByKind.size > 0) notes.push(`errors: ${[...errorsByKind].map(([k, v]) => `${k} ×${v}`).join('; ')}`);
      const snaps = (await readdir(snapshotDir)).filter((f) => f.endsWith('.heapsnapshot'));
      if (snaps.length > 0) notes.push(`heap snapshots: ${snaps.map((f) => join(snapshotDir, f)).join(' ')}`);
      return { rows, notes };
    } finally {
      stopping = true;
      for (const c of live) c.close();
      agent.destroy();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await owner.end();
      await rm(dataDir, { recursive: true, force: true });
      if (snapshots.length === 0) await rm(snapshotDir, { recursive: true, force: true });
    }
  });

// No `run` export: `npm run bench` would spend half an hour here. Run it on its own.
if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, 'sample-seconds': { type: 'string' }, snapshots: { type: 'string' } }, strict: true });
  const minutes = Number(values.minutes ?? 30);
  const sampleSeconds = Number(values['sample-seconds'] ?? 30);
  const snapshots = values.snapshots ? values.snapshots.split(',').map(Number) : [];
  if (!(minutes > 0) || !(sampleSeconds > 0) || snapshots.some((m) => !(m > 0))) {
    console.error('usage: bench/soak.ts [--minutes 30] [--sample-seconds 30] [--snapshots 2,8]');
    process.exit(2);
  }
  void printResult(soak({ minutes, sampleSeconds, snapshots }));
}
