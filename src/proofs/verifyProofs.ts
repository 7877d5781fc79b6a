import { HASH_SIZE, nodeHash } from './merkleHash.js';

/**
 * Proof checks for clients (the CLI's verify and witness), with no storage: the audit path split into the part
 * inside the leaf's smallest subtree shared with the last leaf ("inner") and the right border above it.
 */
export type ProofCheck = { ok: true } | { ok: false; why: string };

const bitLength = (n: bigint) => (n === 0n ? 0 : n.toString(2).length);
const popCount = (n: bigint) => [...n.toString(2)].filter((c) => c === '1').length;
const trailingZeros = (n: bigint) => {
  let z = 0;
  while (n > 0n && (n & 1n) === 0n) (n >>= 1n), z++;
  return z;
};
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const sized = (hashes: Uint8Array[]) => hashes.every((h) => h.length === HASH_SIZE);

const decompose = (index: bigint, size: bigint) => {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: popCount(index >> BigInt(inner)) };
};

const chainInner = (seed: Uint8Array, proof: Uint8Array[], index: bigint) =>
  proof.reduce<Buffer>((h, p, i) => (((index >> BigInt(i)) & 1n) === 0n ? nodeHash(h, p) : nodeHash(p, h)), Buffer.from(seed));
const chainInnerRight = (seed: Uint8Array, proof: Uint8Array[], index: bigint) =>
  proof.reduce<Buffer>((h, p, i) => (((index >> BigInt(i)) & 1n) === 1n ? nodeHash(p, h) : h), Buffer.from(seed));
const chainBorderRight = (seed: Uint8Array, proof: Uint8Array[]): Buffer => proof.reduce<Buffer>((h, p) => nodeHash(p, h), Buffer.from(seed));

/** The root an inclusion proof leads to, or why it cannot lead anywhere. */
export const rootFromInclusion = (index: bigint, size: bigint, leaf: Uint8Array, proof: Uint8Array[]): Buffer | string => {
  if (index < 0n || index >= size) return `leaf index ${index} is not below tree size ${size}`;
  if (leaf.length !== HASH_SIZE || !sized(proof)) return 'a hash is not 32 bytes';
  const { inner, border } = decompose(index, size);
  if (proof.length !== inner + border) return `the path has ${proof.length} hashes, a tree of ${size} needs ${inner + border} for leaf ${index}`;
  return chainBorderRight(chainInner(leaf, proof.slice(0, inner), index), proof.slice(inner));
};

export const verifyInclusion = (index: bigint, size: bigint, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): ProofCheck => {
  const got = rootFromInclusion(index, size, leaf, proof);
  if (typeof got === 'string') return { ok: false, why: got };
  return same(got, root) ? { ok: true } : { ok: false, why: `the path leads to root ${got.toString('base64')}, not the checkpoint's ${Buffer.from(root).toString('base64')}` };
};

export const verifyConsistency = (size1: bigint, size2: bigint, proof: Uint8Array[], root1: Uint8Array, root2: Uint8Array): ProofCheck => {
  if (size2 < size1) return { ok: false, why: `the newer tree (${size2}) is smaller than the older (${size1}): a rollback` };
  if (!sized(proof)) return { ok: false, why: 'a hash is not 32 bytes' };
  if (size1 === size2) {
    if (proof.length > 0) return { ok: false, why: 'equal sizes need an empty proof' };
    return same(root1, root2) ? { ok: true } : { ok: false, why: `two different roots for the same size ${size1}: a fork` };
  }
  if (size1 === 0n) return proof.length === 0 ? { ok: true } : { ok: false, why: 'a proof from the empty tree must be empty' };
  if (proof.length === 0) return { ok: false, why: 'the proof is empty' };
  const { inner: fullInner, border } = decompose(size1 - 1n, size2);
  const shift = trailingZeros(size1);
  const inner = fullInner - shift;
  const seeded = size1 === 1n << BigInt(shift);
  const seed = seeded ? root1 : proof[0];
  const rest = seeded ? proof : proof.slice(1);
  if (rest.length !== inner + border) return { ok: false, why: `the proof has ${proof.length} hashes, ${(seeded ? 0 : 1) + inner + border} expected` };
  const mask = (size1 - 1n) >> BigInt(shift);
  const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!same(hash1, root1)) return { ok: false, why: `the proof does not lead to the older root (size ${size1}): the log was rewritten` };
  const hash2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!same(hash2, root2)) return { ok: false, why: `the proof does not lead to the newer root (size ${size2})` };
  return { ok: true };
};
