/**
 * A V8 CPU profile (`node --cpu-prof`) as a flame-graph-like text table: self and inclusive time by area of the
 * server (fastify, jose, zod, pino, the store's read and append, projections, …) and the top functions, counted
 * over the samples inside a time window (the bench's saturation phase) only.
 *
 *   node --import tsx bench/lib/cpuProfileSummary.ts DIR   (DIR holds *.cpuprofile and the bench's window.json)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[]; hitCount?: number };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** Areas, first match wins: a frame's url (path inside the project or node_modules) or function name. */
const AREAS: [string, (f: CallFrame) => boolean][] = [
  ['(garbage collector)', (f) => f.functionName === '(garbage collector)'],
  ['(idle)', (f) => f.functionName === '(idle)'],
  ['(program)', (f) => f.functionName === '(program)'],
  ['socket writes (writev: PostgreSQL and HTTP)', (f) => !f.url && /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/.test(f.functionName)],
  ['rate limit', (f) => /@fastify\/rate-limit|src\/api\/rateLimits/.test(f.url)],
  ['JWT verification (jose, auth)', (f) => /node_modules\/jose\/|src\/api\/auth\.ts|src\/api\/guard\.ts|sessionCookie/.test(f.url)],
  ['zod validation', (f) => /node_modules\/zod\/|fastify-type-provider-zod|src\/api\/httpSchemas|src\/domain\/.*(fields|schemas|storableText)/.test(f.url)],
  ['logging (pino)', (f) => /node_modules\/(pino|sonic-boom|fast-redact|@pinojs|pino-std-serializers|fast-safe-stringify|safe-stable-stringify)|src\/api\/logger|src\/api\/safePath/.test(f.url)],
  ['access log', (f) => /src\/personal\/accessLog/.test(f.url)],
  ['Merkle log projection (proofs)', (f) => /src\/proofs\//.test(f.url)],
  ['projections (in the event loop)', (f) => /src\/projections\//.test(f.url)],
  ['idempotency (fingerprint, command id)', (f) => /src\/api\/commandOf|src\/ledger\/commandContext/.test(f.url)],
  ['sealing / crypto (personal)', (f) => /src\/personal\//.test(f.url)],
  ['append + group commit', (f) => /src\/eventstore\/(hashChain|postgres\/(groupInsert|appendWrites|appendCall|heads|recentHeads|streamQueue|coalescedNotify|notifications))/.test(f.url) || /src\/ledger\/appendSealed/.test(f.url)],
  ['stream read + fold (store, ledger, domain)', (f) => /src\/eventstore\/postgres\/(groupRead|readBatch|rowToEvent|sharedReads|store)|src\/ledger\/|src\/domain\//.test(f.url)],
  ['route handler + api glue', (f) => /src\/api\//.test(f.url)],
  ['CSV import: decode, parse, normalise (src/import, iconv-lite, csv-parse)', (f) => /src\/import\/|node_modules\/(iconv-lite|csv-parse|safer-buffer)\//.test(f.url)],
  ['other project code', (f) => /\/src\/|\/bench\//.test(f.url)],
  ['pg driver', (f) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-|pgpass|pg-connection-string)\//.test(f.url)],
  ['fastify / routing / HTTP framework', (f) => /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|fast-uri|secure-json-parse|abstract-logging|toad-cache|process-warning|rfdc|fast-decode-uri-component|content-type|ret|safe-regex2|proxy-addr|forwarded|ipaddr\.js)\//.test(f.url)],
  ['other node_modules', (f) => /node_modules\//.test(f.url)],
  ['node crypto (SHA-256, HMAC, AES-GCM, random)', (f) => /^node:internal\/crypto\//.test(f.url)],
  ['node internals (net, http, streams, timers)', (f) => /^node:/.test(f.url)],
  ['native / builtins', () => true],
];

const areaOf = (f: CallFrame) => AREAS.find(([, test]) => test(f))![0];
const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/').replace(/^node:/, 'node:');
const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`.trim();

export type Summary = { sampledMs: number; areas: { area: string; selfMs: number; inclusiveMs: number }[]; topSelf: { fn: string; area: string; ms: number }[]; topInclusive: { fn: string; ms: number }[] };

/** Self and inclusive ms per area and per function, over the samples taken between `from` and `to` (µs, the profile's clock). */
export const summarise = (p: CpuProfile, window?: { from: number; to: number }, top = 30): Summary => {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    if (window && (t < window.from || t > window.to)) continue;
    // A sample's time is the gap to the next sample (what V8's own tools use).
    const dt = i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1] : 0;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  const areaSelf = new Map<string, number>();
  const areaIncl = new Map<string, number>();
  const fnSelf = new Map<string, { area: string; us: number }>();
  const fnIncl = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    total += us;
    const leaf = byId.get(id)!;
    const a = areaOf(leaf.callFrame);
    areaSelf.set(a, (areaSelf.get(a) ?? 0) + us);
    const l = label(leaf.callFrame);
    fnSelf.set(l, { area: a, us: (fnSelf.get(l)?.us ?? 0) + us });
    // Each area and function once per sample, however often it recurs on the stack.
    const areas = new Set<string>();
    const fns = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      if (f.functionName === '(root)') continue;
      areas.add(areaOf(f));
      fns.add(label(f));
    }
    for (const x of areas) areaIncl.set(x, (areaIncl.get(x) ?? 0) + us);
    for (const x of fns) fnIncl.set(x, (fnIncl.get(x) ?? 0) + us);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    sampledMs: ms(total),
    areas: AREAS.map(([a]) => ({ area: a, selfMs: ms(areaSelf.get(a) ?? 0), inclusiveMs: ms(areaIncl.get(a) ?? 0) }))
      .filter((r) => r.selfMs > 0 || r.inclusiveMs > 0)
      .sort((x, y) => y.selfMs - x.selfMs),
    topSelf: [...fnSelf].map(([fn, v]) => ({ fn, area: v.area, ms: ms(v.us) })).sort((x, y) => y.ms - x.ms).slice(0, top),
    topInclusive: [...fnIncl].map(([fn, us]) => ({ fn, ms: ms(us) })).sort((x, y) => y.ms - x.ms).slice(0, top),
  };
};

const pct = (x: number, total: number) => `${((100 * x) / total).toFixed(1)}%`;

/**
 * Markdown tables. With the server's CPU per dose measured from /proc in the same window (`cpuUsPerDose`), each
 * area's share of the busy samples (idle left out) is also shown as µs of CPU per dose. V8 samples on a wall clock:
 * a thread descheduled inside a system call (writev waking PostgreSQL on a busy machine) is charged for the wait, so
 * those shares are upper bounds; /proc's user/system split says how much is really spent in the kernel.
 */
export const toMarkdown = (s: Summary, doses?: number, cpuUsPerDose?: number) => {
  const idle = s.areas.find((r) => r.area === '(idle)')?.selfMs ?? 0;
  const busy = s.sampledMs - idle;
  const perDose = (ms: number, area = '') => (cpuUsPerDose ? ` | ${area === '(idle)' ? '—' : Math.round((ms / busy) * cpuUsPerDose)}` : '');
  const head = cpuUsPerDose ? ' | ≈ CPU µs/dose' : '';
  const sep = cpuUsPerDose ? ' | ---:' : '';
  const lines = [
    `Sampled: ${s.sampledMs} ms of the main thread${doses ? ` over ${doses} doses` : ''}${cpuUsPerDose ? `; server CPU from /proc ${cpuUsPerDose} µs per dose` : ''}.`,
    '',
    `| area | self | self %${head} | inclusive | inclusive % |`,
    `| --- | ---: | ---:${sep} | ---: | ---: |`,
    ...s.areas.map((r) => `| ${r.area} | ${r.selfMs} ms | ${pct(r.selfMs, s.sampledMs)}${perDose(r.selfMs, r.area)} | ${r.inclusiveMs} ms | ${pct(r.inclusiveMs, s.sampledMs)} |`),
    '',
    'Top functions by self time:',
    '',
    `| function | area | self | % |`,
    `| --- | --- | ---: | ---: |`,
    ...s.topSelf.map((r) => `| \`${r.fn}\` | ${r.area} | ${r.ms} ms | ${pct(r.ms, s.sampledMs)} |`),
    '',
    'Top functions by inclusive time (synchronous stacks: time after an `await` counts under the microtask queue, not its caller):',
    '',
    `| function | inclusive | % |`,
    `| --- | ---: | ---: |`,
    ...s.topInclusive.map((r) => `| \`${r.fn}\` | ${r.ms} ms | ${pct(r.ms, s.sampledMs)} |`),
  ];
  return lines.join('\n');
};

/** The main thread's profile in DIR (the largest file) and the window the bench wrote, if any. */
export const summariseDir = (dir: string, top = 30) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  const profiles = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
  // The main thread is the one running the most code (a worker thread idles mostly).
  const main = profiles.reduce((a, b) => (b.nodes.length > a.nodes.length ? b : a));
  let window: { from: number; to: number; doses?: number; cpuUsPerDose?: number } | undefined;
  try {
    window = JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8'));
  } catch {
    window = undefined;
  }
  return { summary: summarise(main, window, top), doses: window?.doses, cpuUsPerDose: window?.cpuUsPerDose };
};

const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry === realpathSync(fileURLToPath(import.meta.url))) {
  const { summary, doses, cpuUsPerDose } = summariseDir(process.argv[2] ?? '.', Number(process.argv[3] ?? 30));
  console.log(toMarkdown(summary, doses, cpuUsPerDose));
}
