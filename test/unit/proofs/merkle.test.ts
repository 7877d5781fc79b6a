import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { leafHash, EMPTY_ROOT } from '../../../src/proofs/merkleHash.js';
import { appendLeaves, consistencyPath, inclusionPath, nodeKey, nodesRead, type NodeLookup } from '../../../src/proofs/treeMath.js';
import { verifyConsistency, verifyInclusion } from '../../../src/proofs/verifyProofs.js';
import { refLeafHash, refRoot, refVerifyConsistency, refVerifyInclusion } from '../../support/rfc9162.js';

type Vectors = {
  leaves: string[];
  emptyRoot: string;
  roots: string[];
  inclusion: { leaf: number; size: number; path: string[] }[];
  consistency: { from: number; to: number; path: string[] }[];
};
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/merkle/rfc6962-vectors.json', import.meta.url), 'utf8')) as Vectors;
const hex = (s: string) => Buffer.from(s, 'hex');

/** A tree built the production way (appended in batches), with its nodes kept in a map. */
const build = (leaves: Buffer[], batch = 1) => {
  const nodes = new Map<string, Buffer>();
  let size = 0n;
  let frontier: Buffer[] = [];
  // The root after each batch, by size (every size when batch = 1).
  const roots: Buffer[] = [EMPTY_ROOT];
  for (let i = 0; i < leaves.length; i += batch) {
    const r = appendLeaves(size, frontier, leaves.slice(i, i + batch));
    for (const n of r.nodes) nodes.set(nodeKey(n.level, n.index), n.hash);
    size = r.size;
    frontier = r.frontier;
    roots[Number(size)] = r.root;
  }
  const lookup: NodeLookup = (level, index) => {
    const h = nodes.get(nodeKey(level, index));
    if (!h) throw new Error(`node ${level}:${index} was never stored`);
    return h;
  };
  return { lookup, roots, size };
};

const flipped = (path: Buffer[], i: number, bit: number) => path.map((p, j) => (j === i ? Buffer.from(p.map((b, k) => (k === bit >> 3 ? b ^ (1 << (bit & 7)) : b))) : p));

describe('RFC 6962 / transparency-dev known answers', () => {
  const leaves = vectors.leaves.map((l) => leafHash(hex(l)));
  const tree = build(leaves);

  it('roots of every size 0..8', () => {
    expect(tree.roots[0].toString('hex')).toBe(vectors.emptyRoot);
    vectors.roots.forEach((r, i) => expect(tree.roots[i + 1].toString('hex')).toBe(r));
  });

  it.each(vectors.inclusion)('inclusion path of leaf $leaf in $size', (v) => {
    const path = inclusionPath(BigInt(v.leaf - 1), BigInt(v.size), tree.lookup);
    expect(path.map((p) => p.toString('hex'))).toEqual(v.path);
    expect(verifyInclusion(BigInt(v.leaf - 1), BigInt(v.size), leaves[v.leaf - 1], v.path.map(hex), hex(vectors.roots[v.size - 1]))).toEqual({ ok: true });
  });

  it.each(vectors.consistency)('consistency path $from → $to', (v) => {
    const path = consistencyPath(BigInt(v.from), BigInt(v.to), tree.lookup);
    expect(path.map((p) => p.toString('hex'))).toEqual(v.path);
    expect(verifyConsistency(BigInt(v.from), BigInt(v.to), v.path.map(hex), hex(vectors.roots[v.from - 1]), hex(vectors.roots[v.to - 1]))).toEqual({ ok: true });
  });

  it('reads O(log n) stored nodes for a proof', () => {
    const n = 1_000_003n;
    const ids = nodesRead((node) => inclusionPath(n - 2n, n, node));
    expect(ids.length).toBeLessThanOrEqual(2 * 21);
    expect(nodesRead((node) => consistencyPath(777_777n, n, node)).length).toBeLessThanOrEqual(2 * 21);
  });

  it('refuses a leaf outside the tree and a shrinking consistency', () => {
    expect(() => inclusionPath(8n, 8n, tree.lookup)).toThrow(/not in a tree/);
    expect(() => consistencyPath(5n, 4n, tree.lookup)).toThrow(/no consistency proof/);
  });
});

describe('property: every proof verifies by RFC 9162 and a flipped bit never does', () => {
  it('inclusion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(255), (n, a, b, bit) => {
        const leaves = Array.from({ length: n }, (_, i) => refLeafHash(Buffer.from(`leaf ${i} of ${n}`)));
        const tree = build(leaves, 1 + (a % 17));
        const root = refRoot(leaves);
        expect(tree.roots[n].equals(root)).toBe(true);
        const m = BigInt(b % n);
        const path = inclusionPath(m, BigInt(n), tree.lookup);
        expect(refVerifyInclusion(m, BigInt(n), leaves[Number(m)], path, root)).toBe(true);
        expect(verifyInclusion(m, BigInt(n), leaves[Number(m)], path, root).ok).toBe(true);
        if (path.length > 0) {
          const bad = flipped(path, a % path.length, bit);
          expect(refVerifyInclusion(m, BigInt(n), leaves[Number(m)], bad, root)).toBe(false);
          expect(verifyInclusion(m, BigInt(n), leaves[Number(m)], bad, root).ok).toBe(false);
        }
        const badLeaf = flipped([leaves[Number(m)]], 0, bit)[0];
        expect(verifyInclusion(m, BigInt(n), badLeaf, path, root).ok).toBe(false);
        expect(refVerifyInclusion(m, BigInt(n), badLeaf, path, root)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('consistency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(255), (n, a, b, bit) => {
        const leaves = Array.from({ length: n }, (_, i) => refLeafHash(Buffer.from(`entry ${i}`)));
        const tree = build(leaves, 1 + (b % 13));
        const from = BigInt(1 + (a % (n - 1)));
        const to = BigInt(n);
        const r1 = refRoot(leaves.slice(0, Number(from)));
        const r2 = refRoot(leaves);
        const path = consistencyPath(from, to, tree.lookup);
        expect(refVerifyConsistency(from, to, r1, r2, path)).toBe(true);
        expect(verifyConsistency(from, to, path, r1, r2).ok).toBe(true);
        const bad = flipped(path, b % path.length, bit);
        expect(refVerifyConsistency(from, to, r1, r2, bad)).toBe(false);
        expect(verifyConsistency(from, to, bad, r1, r2).ok).toBe(false);
        // A rewritten earlier leaf: the old root no longer follows from the new tree.
        const forged = [...leaves];
        forged[Number(a % Number(from))] = refLeafHash(Buffer.from('forged'));
        const forgedTree = build(forged);
        expect(verifyConsistency(from, to, consistencyPath(from, to, forgedTree.lookup), r1, forgedTree.roots[n]).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
