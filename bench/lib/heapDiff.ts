/**
 * What grew between two V8 heap snapshots (.heapsnapshot, from `--heapsnapshot-signal` or v8.writeHeapSnapshot):
 * `node --import tsx bench/lib/heapDiff.ts before.heapsnapshot after.heapsnapshot [top]`.
 * Prints, per constructor (DevTools' summary view: objects by constructor name, other nodes by type), the change
 * in count and self size, largest growth first; then the largest single objects of the later snapshot with the
 * chain of what retains each (a Map's backing store shows which Map it is).
 * `heapDiff.ts --holders file.heapsnapshot "Buffer" [depth]`: objects of one constructor grouped by what holds
 * them (a chain of `depth` retainers), most numerous first: e.g. 6,455 Buffers held by a Map's table.
 */
import { readFileSync } from 'node:fs';

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
};

export type HeapSummary = Map<string, { count: number; size: number }>;

const load = (path: string): Snapshot => JSON.parse(readFileSync(path, 'utf8')) as Snapshot;

const fieldsOf = (s: Snapshot) => {
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  return {
    nodeWidth: nf.length,
    type: nf.indexOf('type'),
    name: nf.indexOf('name'),
    size: nf.indexOf('self_size'),
    edgeCount: nf.indexOf('edge_count'),
    edgeWidth: ef.length,
    edgeType: ef.indexOf('type'),
    edgeName: ef.indexOf('name_or_index'),
    toNode: ef.indexOf('to_node'),
    nodeTypes: s.snapshot.meta.node_types[0],
    edgeTypes: s.snapshot.meta.edge_types[0],
  };
};

/** The summary key of node i: constructor name for objects, `(type)` or `(type) name` otherwise. */
const keyOf = (s: Snapshot, f: ReturnType<typeof fieldsOf>, i: number) => {
  const type = f.nodeTypes[s.nodes[i + f.type]];
  const name = s.strings[s.nodes[i + f.name]];
  if (type === 'object' || type === 'native') return name.length > 60 ? `${name.slice(0, 57)}…` : name;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number') return `(${type})`;
  if (type === 'closure') return `(closure) ${name.slice(0, 40)}`;
  return `(${type}) ${name.slice(0, 40)}`;
};

export const summarize = (s: Snapshot): HeapSummary => {
  const f = fieldsOf(s);
  const out: HeapSummary = new Map();
  for (let i = 0; i < s.nodes.length; i += f.nodeWidth) {
    const k = keyOf(s, f, i);
    const e = out.get(k) ?? { count: 0, size: 0 };
    e.count++;
    e.size += s.nodes[i + f.size];
    out.set(k, e);
  }
  return out;
};

export const diff = (a: HeapSummary, b: HeapSummary) =>
  [...new Set([...a.keys(), ...b.keys()])]
    .map((k) => ({ key: k, count: (b.get(k)?.count ?? 0) - (a.get(k)?.count ?? 0), size: (b.get(k)?.size ?? 0) - (a.get(k)?.size ?? 0), after: b.get(k)?.size ?? 0 }))
    .sort((x, y) => y.size - x.size);

/** One retainer per node (the first strong edge seen, weak and shortcut edges skipped) and the edge it holds it by. */
const firstRetainers = (s: Snapshot, f: ReturnType<typeof fieldsOf>, n: number) => {
  const retainer = new Int32Array(n).fill(-1);
  const via = new Int32Array(n).fill(-1);
  for (let i = 0, e = 0; i < n; i++) {
    const end = e + s.nodes[i * f.nodeWidth + f.edgeCount] * f.edgeWidth;
    for (; e < end; e += f.edgeWidth) {
      const type = f.edgeTypes[s.edges[e + f.edgeType]];
      if (type === 'weak' || type === 'shortcut') continue;
      const to = s.edges[e + f.toNode] / f.nodeWidth;
      if (retainer[to] === -1) {
        retainer[to] = i;
        via[to] = e;
      }
    }
  }
  return { retainer, via };
};

/** The largest single nodes and, for each, a chain of retainers (strong edges only) up to `depth`. */
const largest = (s: Snapshot, top: number, depth = 8) => {
  const f = fieldsOf(s);
  const n = s.nodes.length / f.nodeWidth;
  // Enough to name what holds a big object.
  const { retainer, via } = firstRetainers(s, f, n);
  const sizes = Array.from({ length: n }, (_, i) => i).sort((x, y) => s.nodes[y * f.nodeWidth + f.size] - s.nodes[x * f.nodeWidth + f.size]);
  return sizes.slice(0, top).map((i) => {
    const chain: string[] = [];
    for (let at = i, d = 0; d < depth && retainer[at] !== -1; d++) {
      const e = via[at];
      const edgeType = f.edgeTypes[s.edges[e + f.edgeType]];
      const nameOrIndex = s.edges[e + f.edgeName];
      const label = edgeType === 'element' || edgeType === 'hidden' ? `[${nameOrIndex}]` : s.strings[nameOrIndex];
      at = retainer[at];
      chain.push(`${label} ← ${keyOf(s, f, at * f.nodeWidth)}`);
    }
    return { node: keyOf(s, f, i * f.nodeWidth), size: s.nodes[i * f.nodeWidth + f.size], chain };
  });
};

/** Nodes of one summary key grouped by their retainer chain (depth `depth`): who holds them, by total self size. */
const holders = (s: Snapshot, key: string, depth = 6, top = 10) => {
  const f = fieldsOf(s);
  const n = s.nodes.length / f.nodeWidth;
  const { retainer, via } = firstRetainers(s, f, n);
  const groups = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < n; i++) {
    if (keyOf(s, f, i * f.nodeWidth) !== key) continue;
    const chain: string[] = [];
    for (let at = i, d = 0; d < depth && retainer[at] !== -1; d++) {
      const e = via[at];
      const edgeType = f.edgeTypes[s.edges[e + f.edgeType]];
      const label = edgeType === 'element' || edgeType === 'hidden' || edgeType === 'internal' ? '[]' : s.strings[s.edges[e + f.edgeName]];
      at = retainer[at];
      chain.push(`${label} ← ${keyOf(s, f, at * f.nodeWidth)}`);
    }
    const g = groups.get(chain.join(' / ')) ?? { count: 0, size: 0 };
    g.count++;
    g.size += s.nodes[i * f.nodeWidth + f.size];
    groups.set(chain.join(' / '), g);
  }
  return [...groups].sort((a, b) => b[1].count - a[1].count).slice(0, top);
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

const main = () => {
  process.stdout.on('error', () => process.exit(0)); // piped into head
  const [beforePath, afterPath, topArg] = process.argv.slice(2);
  if (beforePath === '--holders') {
    // heapDiff.ts --holders file.heapsnapshot "system / JSArrayBufferData"
    for (const [chain, g] of holders(load(afterPath), topArg, Number(process.argv[5] ?? 6))) console.log(`${String(g.count).padStart(8)} ${mb(g.size).padStart(10)}  ${chain}`);
    return;
  }
  if (!beforePath || !afterPath) {
    console.error('usage: heapDiff.ts before.heapsnapshot after.heapsnapshot [top]');
    process.exit(2);
  }
  const top = Number(topArg ?? 30);
  const before = summarize(load(beforePath));
  const afterSnapshot = load(afterPath);
  const after = summarize(afterSnapshot);
  const total = (s: HeapSummary) => [...s.values()].reduce((a, e) => a + e.size, 0);
  console.log(`self size: ${mb(total(before))} → ${mb(total(after))}\n`);
  console.log('growth by constructor (count, self size, size after):');
  for (const d of diff(before, after).slice(0, top)) console.log(`${d.key.padEnd(64)} ${String(d.count).padStart(9)} ${mb(d.size).padStart(12)} ${mb(d.after).padStart(12)}`);
  console.log('\nlargest objects in the later snapshot, with a retainer chain:');
  for (const o of largest(afterSnapshot, Math.min(top, 15))) console.log(`${mb(o.size).padStart(10)} ${o.node}\n           ${o.chain.join('\n           ')}`);
};

if (process.argv[1]?.endsWith('heapDiff.ts')) main();
