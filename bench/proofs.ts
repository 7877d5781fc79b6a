/**
 * Issue 20: the transparency log. Leaves appended per second (in memory, and into PostgreSQL as the projection
 * does) beside raw SHA-256 of the same leaf bytes and a raw INSERT of the same rows, in the same run; proof size
 * and time (in memory, and from PostgreSQL at 1M leaves built in bulk); checkpoint signing beside a bare Ed25519
 * signature of the same text; record-dose throughput over HTTP with the log (VRS_TRANSPARENCY_LOG=on) beside without.
 * BENCH_PROOFS_PARTS=core,big,dose runs only the named parts (diagnostic; default all).
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from './lib/database.js';
import { cpuDuring, postmasterPid } from './lib/cpuTime.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';
import { eventLeafData } from '../src/proofs/eventLeaf.js';
import { EMPTY_ROOT, leafHash } from '../src/proofs/merkleHash.js';
import { appendLeaves, consistencyPath, inclusionPath, nodeKey, nodesRead, rootOfFrontier, type NodeLookup } from '../src/proofs/treeMath.js';
import { appendToLog, withNodes } from '../src/proofs/logStore.js';
import { logTableNames, logTables } from '../src/proofs/logTables.js';
import { signCheckpoint, checkpointText } from '../src/proofs/checkpoint.js';
import { signerFromSeed } from '../src/proofs/signedNote.js';
import { verifyInclusion } from '../src/proofs/verifyProofs.js';
import { load, startChild } from './record-dose.js';

const leafBytes = (i: number) =>
  eventLeafData({ stream: `recipient-131016-${String(i).padStart(10, '0')}`, version: BigInt(1 + (i % 3)), position: BigInt(i + 1), hash: createHash('sha256').update(String(i)).digest('hex') });

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;
const parts = new Set((process.env.BENCH_PROOFS_PARTS ?? 'core,big,dose').split(','));

/** Mean ms of `q` proofs drawn by `draw`, each one query through the log store's own read. */
const proofMs = async (q: number, draw: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < q; i++) await draw();
  return Number(((seconds(t) * 1000) / q).toFixed(2));
};

/**
 * A log of `target` leaves built through the log store's own append in batches of 20,000 (one transaction each),
 * stopped at the last whole batch after `budgetS`; then inclusion and consistency proof time from PostgreSQL.
 */
const bigLog = async (server: string, target: number, budgetS: number, rows: BenchRow[], notes: string[]) => {
  const url = await createDatabase(server, 'bench_proofs_big');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  try {
    const postgres = await postmasterPid(pool);
    const tables = logTableNames('bench_big');
    for (const t of logTables('bench_big')) {
      await pool.query(t.create(t.name));
      for (const ix of t.indexes?.(t.name) ?? []) await pool.query(ix);
    }
    const batch = 20_000;
    const client = await pool.connect();
    let n = 0;
    const t0 = process.hrtime.bigint();
    const built = await cpuDuring({ pg: postgres }, async () => {
      try {
        while (n < target && seconds(t0) < budgetS) {
          const slice = Array.from({ length: Math.min(batch, target - n) }, (_, k) => ({ position: BigInt(n + k + 1), data: leafBytes(n + k) }));
          await client.query('BEGIN');
          await appendToLog(client, tables, slice);
          await client.query('COMMIT');
          n += slice.length;
        }
      } finally {
        client.release();
      }
      return seconds(t0);
    });
    const size = BigInt(n);
    rows.push({ name: `log built into PostgreSQL in bulk, ${n.toLocaleString('en')} leaves (batches of ${batch})`, figure: Math.round(n / built.value), unit: 'leaves/s' });
    notes.push(
      `bulk build of ${n.toLocaleString('en')} leaves${n < target ? ` (stopped at the ${budgetS} s budget, target ${target.toLocaleString('en')})` : ''}: ` +
        `${built.value.toFixed(1)} s, ${built.ms['load generator'].toFixed(0)} ms Node CPU + ${built.ms.pg.toFixed(0)} ms PostgreSQL CPU`,
    );
    await pool.query(`VACUUM ANALYZE ${tables.nodes}, ${tables.leaves}`);
    const q = 500;
    // Baseline: one primary-key read of one stored node (a leaf's hash), the least a proof from the table can cost.
    const one = await proofMs(q, () => pool.query(`SELECT hash FROM ${tables.nodes} WHERE level = 0 AND idx = $1`, [Math.floor(Math.random() * n)]));
    const proofs = await cpuDuring({ pg: postgres }, async () => ({
      incl: await proofMs(q, () => {
        const m = BigInt(Math.floor(Math.random() * n));
        return withNodes(pool, tables, (node) => ({ path: inclusionPath(m, size, node), leaf: node(0, m) }));
      }),
      cons: await proofMs(q, () => {
        const from = BigInt(1 + Math.floor(Math.random() * (n - 1)));
        return withNodes(pool, tables, (node) => consistencyPath(from, size, node));
      }),
    }));
    rows.push({ name: `inclusion proof from PostgreSQL at ${n.toLocaleString('en')} leaves (one query)`, figure: proofs.value.incl, unit: 'ms', baseline: one, baselineName: 'one node read by primary key', ratio: proofs.value.incl / one });
    rows.push({ name: `consistency proof from PostgreSQL to ${n.toLocaleString('en')} leaves (one query)`, figure: proofs.value.cons, unit: 'ms', baseline: one, baselineName: 'one node read by primary key', ratio: proofs.value.cons / one });
    const { rows: sizeRows } = await pool.query<{ b: string }>(`SELECT pg_total_relation_size($1) + pg_total_relation_size($2) AS b`, [tables.nodes, tables.leaves]);
    notes.push(
      `proofs at ${n.toLocaleString('en')} leaves: ${(q * 2).toLocaleString('en')} proofs used ${proofs.ms['load generator'].toFixed(0)} ms Node CPU + ${proofs.ms.pg.toFixed(0)} ms PostgreSQL CPU ` +
        `(${(((proofs.ms['load generator'] + proofs.ms.pg) * 1000) / (q * 2)).toFixed(0)} µs per proof); log tables ${(Number(sizeRows[0].b) / 1e6).toFixed(0)} MB`,
    );
  } finally {
    await pool.end();
  }
};

/**
 * Record dose over HTTP at saturation (bench/record-dose.ts's server: every production route and projection, in its
 * own process) with the transparency log on (projection ledger_log + checkpoint signer) beside off, two servers on
 * two databases of one PostgreSQL, rounds alternating on/off/on/off. A round's CPU window lasts until the server's
 * projections have caught up, so the log's work is counted even when it trails the requests.
 */
const logCost = async (server: string, quick: boolean, rows: BenchRow[], notes: string[]) => {
  const warm = quick ? 200 : 1_000;
  const per = quick ? 1_000 : 6_000;
  const rounds = 2;
  const sides = ['on', 'off'] as const;
  type Side = (typeof sides)[number];
  const count = warm + rounds * per;
  const dbs = { on: await createDatabase(server, 'bench_proofs_log_on'), off: await createDatabase(server, 'bench_proofs_log_off') };
  const children = { on: startChild(dbs.on, count, 'on'), off: startChild(dbs.off, count, 'off') };
  const pools = Object.fromEntries(sides.map((s) => [s, new pg.Pool({ connectionString: dbs[s], max: 2 })])) as Record<Side, pg.Pool>;
  for (const s of sides) pools[s].on('error', () => {});
  const caughtUp = async (s: Side) => {
    for (;;) {
      const { rows: r } = await pools[s].query<{ behind: boolean }>(
        'SELECT (SELECT coalesce(max(position), 0) FROM events) > (SELECT coalesce(min(position), 0) FROM projection_checkpoints) AS behind',
      );
      if (!r[0].behind) return;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  };
  try {
    const ready = { on: await children.on.ready, off: await children.off.ready };
    const postgres = await postmasterPid(pools.on);
    const at = { on: 0, off: 0 };
    const sum = Object.fromEntries(sides.map((s) => [s, { ok: 0, failed: 0, s: 0, p99: [] as number[], node: 0, pg: 0 }])) as Record<
      Side,
      { ok: number; failed: number; s: number; p99: number[]; node: number; pg: number }
    >;
    const loadOf = (s: Side, n: number) => load({ from: at[s], count: n, token: ready[s].token, url: `http://127.0.0.1:${ready[s].port}` });
    for (const s of sides) {
      at[s] += (await loadOf(s, warm)).used;
      await caughtUp(s);
    }
    for (let r = 0; r < rounds; r++)
      for (const s of sides) {
        const { value, ms } = await cpuDuring({ node: children[s].pid, pg: postgres }, async () => {
          const l = await loadOf(s, per);
          await caughtUp(s);
          return l;
        });
        at[s] += value.used;
        sum[s].ok += value.ok;
        sum[s].failed += value.failed;
        sum[s].s += value.ok / value.rps;
        sum[s].p99.push(value.p99);
        sum[s].node += ms.node;
        sum[s].pg += ms.pg;
        console.log(`  log ${s}: ${value.rps} req/s, p99 ${value.p99} ms`);
      }
    const rate = (s: Side) => Math.round((sum[s].ok / sum[s].s) * 10) / 10;
    const cpu = (s: Side) => `Node ${Math.round((sum[s].node * 1000) / sum[s].ok)} µs + PostgreSQL ${Math.round((sum[s].pg * 1000) / sum[s].ok)} µs`;
    rows.push({
      name: 'record dose over HTTP, saturation, transparency log on',
      figure: rate('on'),
      unit: 'req/s',
      baseline: rate('off'),
      baselineName: 'the same with VRS_TRANSPARENCY_LOG=off',
      ratio: rate('on') / rate('off'),
    });
    rows.push({ name: 'record dose, saturation p99, log on (rounds)', figure: Math.max(...sum.on.p99), unit: `ms (${sum.on.p99.join(', ')}; off: ${sum.off.p99.join(', ')})` });
    notes.push(
      `log on/off: ${rounds} rounds each of ${per} doses, alternating on/off, ${warm} warm-up doses each; ${sum.on.failed + sum.off.failed} failed; ` +
        `CPU per dose (until projections caught up): on ${cpu('on')}, off ${cpu('off')} ` +
        `(PostgreSQL CPU is the whole server's: the idle other side's signer and runner are in it)`,
    );
  } finally {
    await Promise.all(sides.map((s) => children[s].stop()));
    await Promise.all(sides.map((s) => pools[s].end()));
  }
};

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    if (parts.has('dose')) await logCost(server, quick, rows, notes);
    if (parts.has('big')) await bigLog(server, quick ? 100_000 : 1_000_000, 180, rows, notes);
    if (!parts.has('core')) return { rows, notes };
    const memN = quick ? 50_000 : 200_000;
    const dbN = quick ? 20_000 : 50_000;
    const batch = 1000;

    // 1. In memory: the tree's append against hashing the same bytes once each, alternating rounds.
    const bytes = Array.from({ length: memN }, (_, i) => leafBytes(i));
    const nodes = new Map<string, Buffer>();
    let rawS = 0;
    let treeS = 0;
    let rawCpu = 0;
    let treeCpu = 0;
    let size = 0n;
    let frontier: Buffer[] = [];
    const rounds = 4;
    const made: { level: number; index: bigint; hash: Buffer }[][] = [];
    const per = Math.ceil(memN / rounds);
    for (let r = 0; r < rounds; r++) {
      const slice = bytes.slice(r * per, (r + 1) * per);
      const raw = await cpuDuring({}, async () => {
        const t = process.hrtime.bigint();
        for (const b of slice) createHash('sha256').update(b).digest();
        return seconds(t);
      });
      rawS += raw.value;
      rawCpu += raw.ms['load generator'];
      const tree = await cpuDuring({}, async () => {
        const t = process.hrtime.bigint();
        for (let i = 0; i < slice.length; i += batch) {
          const grown = appendLeaves(size, frontier, slice.slice(i, i + batch).map(leafHash));
          made.push(grown.nodes);
          size = grown.size;
          frontier = grown.frontier;
        }
        return seconds(t);
      });
      // Kept for the proofs below, outside the timing (the log writes them to PostgreSQL, not to a Map).
      for (const list of made.splice(0)) for (const n of list) nodes.set(nodeKey(n.level, n.index), n.hash);
      treeS += tree.value;
      treeCpu += tree.ms['load generator'];
    }
    rows.push({
      name: `tree append in memory, ${memN.toLocaleString('en')} leaves (nodes kept)`,
      figure: Math.round(memN / treeS),
      unit: 'leaves/s',
      baseline: Math.round(memN / rawS),
      baselineName: 'raw SHA-256 of the same bytes',
      ratio: rawS / treeS,
    });
    notes.push(`in memory: tree ${treeCpu.toFixed(0)} ms CPU, raw SHA-256 ${rawCpu.toFixed(0)} ms CPU; ${nodes.size.toLocaleString('en')} nodes for ${memN.toLocaleString('en')} leaves`);

    // Proof size and time at memN (nodes from the map).
    const lookup: NodeLookup = (level, index) => nodes.get(nodeKey(level, index))!;
    const N = BigInt(memN);
    const probes = 2000;
    let t0 = process.hrtime.bigint();
    let pathLen = 0;
    for (let i = 0; i < probes; i++) pathLen += inclusionPath(BigInt(Math.floor(Math.random() * memN)), N, lookup).length;
    const inclMemUs = (seconds(t0) * 1e6) / probes;
    t0 = process.hrtime.bigint();
    let consLen = 0;
    for (let i = 0; i < probes; i++) consLen += consistencyPath(BigInt(1 + Math.floor(Math.random() * (memN - 1))), N, lookup).length;
    const consMemUs = (seconds(t0) * 1e6) / probes;
    rows.push({ name: `inclusion proof at ${memN.toLocaleString('en')} leaves, in memory`, figure: Number(inclMemUs.toFixed(1)), unit: `µs (${(pathLen / probes).toFixed(1)} hashes, ${Math.round((pathLen / probes) * 32)} B)` });
    rows.push({ name: `consistency proof to ${memN.toLocaleString('en')} leaves, in memory`, figure: Number(consMemUs.toFixed(1)), unit: `µs (${(consLen / probes).toFixed(1)} hashes, ${Math.round((consLen / probes) * 32)} B)` });

    // Proof size and stored nodes read at 1M and 10M leaves: the shape of a proof needs no hashes of real leaves.
    for (const big of [1_000_000n, 10_000_000n]) {
      const m = 12_345n; // a leaf on the left: a full-depth path
      const reads = nodesRead((node) => inclusionPath(m, big, node)).length;
      const len = inclusionPath(m, big, () => EMPTY_ROOT).length;
      const creads = nodesRead((node) => consistencyPath(big / 3n, big, node)).length;
      const clen = consistencyPath(big / 3n, big, () => EMPTY_ROOT).length;
      rows.push({ name: `proof size at ${big.toLocaleString('en')} leaves`, figure: len * 32, unit: `B inclusion (${len} hashes, ${reads} nodes read); consistency ${clen * 32} B (${creads} nodes read)` });
    }

    // 2. Into PostgreSQL as the projection appends (frontier read, nodes, leaves, head per batch) against a raw
    // INSERT of the same number of leaf rows (position, hash), each batch in its own transaction.
    const url = await createDatabase(server, 'bench_proofs');
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    try {
      const postgres = await postmasterPid(pool);
      const tables = logTableNames('bench_log');
      for (const t of logTables('bench_log')) {
        await pool.query(t.create(t.name));
        for (const ix of t.indexes?.(t.name) ?? []) await pool.query(ix);
      }
      await pool.query('CREATE TABLE bench_raw (position bigint PRIMARY KEY, hash bytea NOT NULL)');
      const client = await pool.connect();
      let logS = 0;
      let rawDbS = 0;
      const cpu = { log: 0, logPg: 0, raw: 0, rawPg: 0 };
      try {
        for (let i = 0; i < dbN; i += batch) {
          const slice = Array.from({ length: Math.min(batch, dbN - i) }, (_, k) => ({ position: BigInt(i + k + 1), data: bytes[(i + k) % memN] }));
          const raw = await cpuDuring({ pg: postgres }, async () => {
            const t = process.hrtime.bigint();
            await client.query('BEGIN');
            await client.query('INSERT INTO bench_raw (position, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])', [
              slice.map((s) => s.position.toString()),
              slice.map((s) => createHash('sha256').update(s.data).digest()),
            ]);
            await client.query('COMMIT');
            return seconds(t);
          });
          rawDbS += raw.value;
          cpu.raw += raw.ms['load generator'];
          cpu.rawPg += raw.ms.pg;
          const log = await cpuDuring({ pg: postgres }, async () => {
            const t = process.hrtime.bigint();
            await client.query('BEGIN');
            await appendToLog(client, tables, slice);
            await client.query('COMMIT');
            return seconds(t);
          });
          logS += log.value;
          cpu.log += log.ms['load generator'];
          cpu.logPg += log.ms.pg;
        }
      } finally {
        client.release();
      }
      rows.push({
        name: `log append into PostgreSQL, ${dbN.toLocaleString('en')} leaves in batches of ${batch}`,
        figure: Math.round(dbN / logS),
        unit: 'leaves/s',
        baseline: Math.round(dbN / rawDbS),
        baselineName: 'raw INSERT of (position, SHA-256) rows',
        ratio: rawDbS / logS,
      });
      notes.push(`into PostgreSQL: log ${cpu.log.toFixed(0)} ms Node CPU + ${cpu.logPg.toFixed(0)} ms PostgreSQL CPU; raw ${cpu.raw.toFixed(0)} + ${cpu.rawPg.toFixed(0)} ms`);

      const dbSize = BigInt(dbN);
      const q = 500;
      t0 = process.hrtime.bigint();
      for (let i = 0; i < q; i++) {
        const m = BigInt(Math.floor(Math.random() * dbN));
        await withNodes(pool, tables, (node) => ({ path: inclusionPath(m, dbSize, node), leaf: node(0, m) }));
      }
      rows.push({ name: `inclusion proof from PostgreSQL at ${dbN.toLocaleString('en')} leaves (one query)`, figure: Number(((seconds(t0) * 1000) / q).toFixed(2)), unit: 'ms' });
      t0 = process.hrtime.bigint();
      for (let i = 0; i < q; i++) {
        // Drawn outside: withNodes runs the computation twice (once to learn the nodes it reads).
        const from = BigInt(1 + Math.floor(Math.random() * (dbN - 1)));
        await withNodes(pool, tables, (node) => consistencyPath(from, dbSize, node));
      }
      rows.push({ name: `consistency proof from PostgreSQL to ${dbN.toLocaleString('en')} leaves (one query)`, figure: Number(((seconds(t0) * 1000) / q).toFixed(2)), unit: 'ms' });
      const { rows: sizeRows } = await pool.query<{ b: string }>(`SELECT pg_total_relation_size('bench_log_nodes') + pg_total_relation_size('bench_log_leaves') AS b`);
      notes.push(`log tables at ${dbN.toLocaleString('en')} leaves: ${(Number(sizeRows[0].b) / 1e6).toFixed(1)} MB (nodes + leaves)`);
    } finally {
      await pool.end();
    }

    // 3. Checkpoint signing against a bare Ed25519 signature of the same text; client-side verification of a proof.
    const signer = signerFromSeed('vrs-ledger.local/events', randomBytes(32));
    const n = quick ? 2000 : 20_000;
    const cp = { origin: 'vrs-ledger.local/events', size: N, root: frontier[0], time: 1_800_000_000 };
    const text = Buffer.from(checkpointText(cp));
    t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sign(null, text, signer.privateKey);
    const bare = seconds(t0);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) signCheckpoint({ ...cp, size: N + BigInt(i) }, signer);
    const ours = seconds(t0);
    rows.push({ name: 'checkpoint signing (C2SP note, Ed25519)', figure: Math.round(n / ours), unit: 'checkpoints/s', baseline: Math.round(n / bare), baselineName: 'bare Ed25519 sign', ratio: bare / ours });
    const someLeaf = leafHash(bytes[12345 % memN]);
    const somePath = inclusionPath(BigInt(12345 % memN), N, lookup);
    const root = rootOfFrontier(frontier);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if (!verifyInclusion(BigInt(12345 % memN), N, someLeaf, somePath, root).ok) throw new Error('proof failed');
    rows.push({ name: `inclusion proof verification at ${memN.toLocaleString('en')} leaves`, figure: Number(((seconds(t0) * 1e6) / n).toFixed(1)), unit: 'µs' });
    return { rows, notes };
  });

runIfMain(import.meta.url, run);
