import { createHash } from 'node:crypto';

/**
 * An independent RFC 9162 implementation for tests, written from the RFC's text (§2.1.1 MTH, §2.1.3.2 and
 * §2.1.4.2 verification), sharing nothing with src/proofs: what the production code makes is checked by this.
 */
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const refLeafHash = (d: Uint8Array) => sha(Buffer.from([0]), d);
const node = (l: Uint8Array, r: Uint8Array) => sha(Buffer.from([1]), l, r);

/** MTH(D[n]) by the recursive definition (k = largest power of two < n). */
export const refRoot = (leafHashes: Buffer[]): Buffer => {
  const n = leafHashes.length;
  if (n === 0) return sha();
  if (n === 1) return leafHashes[0];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return node(refRoot(leafHashes.slice(0, k)), refRoot(leafHashes.slice(k)));
};

const lsb = (x: bigint) => (x & 1n) === 1n;
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** RFC 9162 §2.1.3.2, step by step. */
export const refVerifyInclusion = (leafIndex: bigint, treeSize: bigint, hash: Uint8Array, path: Uint8Array[], rootHash: Uint8Array): boolean => {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r = Buffer.from(hash);
  for (const p of path) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      r = node(p, r);
      if (!lsb(fn)) {
        while (!(lsb(fn) || fn === 0n)) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && eq(r, rootHash);
};

/** RFC 9162 §2.1.4.2, step by step (0 < first < second). */
export const refVerifyConsistency = (first: bigint, second: bigint, firstHash: Uint8Array, secondHash: Uint8Array, consistencyPath: Uint8Array[]): boolean => {
  if (first <= 0n || first >= second) return false;
  if (consistencyPath.length === 0) return false;
  const path = (first & (first - 1n)) === 0n ? [Buffer.from(firstHash), ...consistencyPath] : [...consistencyPath];
  let fn = first - 1n;
  let sn = second - 1n;
  if (lsb(fn)) {
    while (lsb(fn)) {
      fn >>= 1n;
      sn >>= 1n;
    }
  }
  let fr = Buffer.from(path[0]);
  let sr = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (!lsb(fn)) {
        while (!(lsb(fn) || fn === 0n)) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return eq(fr, firstHash) && eq(sr, secondHash) && sn === 0n;
};
