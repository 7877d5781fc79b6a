/**
 * Issue 20: the transparency log. Leaves appended per second (in memory, and into PostgreSQL as the projection
 * does) beside raw SHA-256 of the same leaf bytes and a raw INSERT of the same rows, in the same run; proof size
 * and time; checkpoint signing beside a bare Ed25519 signature of the same text.
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

const leafBytes = (i: number) =>
  eventLeafData({ stream: `recipient-131016-${String(i).padStart(10, '0')}`, version: BigInt(1 + (i % 3)), position: BigInt(i + 1), hash: createHash('sha256').update(String(i)).digest('hex') });

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const rows: BenchRow[] = [];
    const notes: string[] = [];
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
