import { EMPTY_ROOT, nodeHash } from './merkleHash.js';

/**
 * An RFC 9162 tree kept as its complete subtrees: node (level, index) is the root of leaves
 * [index·2^level, (index+1)·2^level). Every node, once complete, never changes, so the log stores each one once
 * and a proof reads O(log n) of them.
 */
export type NodeId = { level: number; index: bigint };
export type StoredNode = NodeId & { hash: Buffer };
/** Looks up a stored complete subtree. */
export type NodeLookup = (level: number, index: bigint) => Buffer;

export const nodeKey = (level: number, index: bigint) => `${level}:${index}`;

/** The largest power of two smaller than n (n > 1): RFC 9162's k. */
export const splitPoint = (n: bigint): bigint => {
  let k = 1n;
  while (k << 1n < n) k <<= 1n;
  return k;
};

const isPowerOfTwo = (n: bigint) => n > 0n && (n & (n - 1n)) === 0n;
const log2 = (n: bigint) => n.toString(2).length - 1;

/** The complete subtrees that make up a tree of `size` leaves, left to right (its "frontier"). */
export const frontierIds = (size: bigint): NodeId[] => {
  const ids: NodeId[] = [];
  let start = 0n;
  for (let level = size.toString(2).length - 1; level >= 0; level--) {
    const width = 1n << BigInt(level);
    if ((size & width) !== 0n) {
      ids.push({ level, index: start >> BigInt(level) });
      start += width;
    }
  }
  return ids;
};

/** MTH of leaves [start, end), from stored complete subtrees (start is aligned as RFC 9162's recursion leaves it). */
export const rangeHash = (start: bigint, end: bigint, node: NodeLookup): Buffer => {
  const n = end - start;
  if (n === 0n) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0n) return node(log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(start, start + k, node), rangeHash(start + k, end, node));
};

/** The root of a tree from its frontier (left to right), folded from the right. */
export const rootOfFrontier = (frontier: Buffer[]): Buffer => {
  if (frontier.length === 0) return EMPTY_ROOT;
  let root = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i], root);
  return root;
};

/**
 * Appends leaf hashes to a tree of `size` leaves whose frontier is given: every node that becomes complete is
 * returned (to store), with the new frontier and root. O(log n) per leaf, amortised O(1) new nodes.
 */
export const appendLeaves = (size: bigint, frontier: Buffer[], leaves: Buffer[]) => {
  // The frontier as a stack of (level, hash), levels strictly decreasing.
  const stack = frontierIds(size).map((id, i) => ({ level: id.level, hash: frontier[i] }));
  if (stack.length !== frontier.length) throw new Error(`frontier of ${frontier.length} nodes does not fit a tree of ${size} leaves`);
  const nodes: StoredNode[] = [];
  let n = size;
  for (const leaf of leaves) {
    let level = 0;
    let hash = leaf;
    let index = n;
    nodes.push({ level, index, hash });
    while (stack.length > 0 && stack[stack.length - 1].level === level) {
      const left = stack.pop()!;
      hash = nodeHash(left.hash, hash);
      level += 1;
      index >>= 1n;
      nodes.push({ level, index, hash });
    }
    stack.push({ level, hash });
    n += 1n;
  }
  const next = stack.map((s) => s.hash);
  return { size: n, nodes, frontier: next, root: rootOfFrontier(next) };
};

/** RFC 9162 §2.1.3.1 PATH(m, D[start:end]) over stored nodes. */
const path = (m: bigint, start: bigint, end: bigint, node: NodeLookup): Buffer[] => {
  const n = end - start;
  if (n <= 1n) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(m, start, start + k, node), rangeHash(start + k, end, node)];
  return [...path(m - k, start + k, end, node), rangeHash(start, start + k, node)];
};

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b). */
const subproof = (m: bigint, start: bigint, end: bigint, complete: boolean, node: NodeLookup): Buffer[] => {
  const n = end - start;
  if (m === n) return complete ? [] : [rangeHash(start, end, node)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, start, start + k, complete, node), rangeHash(start + k, end, node)];
  return [...subproof(m - k, start + k, end, false, node), rangeHash(start, start + k, node)];
};

export class ProofRangeError extends Error {
  readonly code = 'PROOF_OUT_OF_RANGE';
}

/** Audit path of leaf `index` in the tree of `size` leaves. */
export const inclusionPath = (index: bigint, size: bigint, node: NodeLookup): Buffer[] => {
  if (index < 0n || index >= size) throw new ProofRangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  return path(index, 0n, size, node);
};

/** Consistency proof from the tree of `from` leaves to the tree of `to` leaves (0 < from ≤ to, else empty). */
export const consistencyPath = (from: bigint, to: bigint, node: NodeLookup): Buffer[] => {
  if (from < 0n || from > to) throw new ProofRangeError(`no consistency proof from ${from} to ${to} leaves`);
  if (from === 0n || from === to) return [];
  return subproof(from, 0n, to, true, node);
};

/**
 * The stored nodes a computation reads: run it once with a recording lookup (which returns a placeholder), fetch
 * exactly those, run it again. Lets the storage read every node of a proof in one query.
 */
export const nodesRead = (compute: (node: NodeLookup) => unknown): NodeId[] => {
  const seen = new Map<string, NodeId>();
  compute((level, index) => {
    seen.set(nodeKey(level, index), { level, index });
    return EMPTY_ROOT;
  });
  return [...seen.values()];
};
