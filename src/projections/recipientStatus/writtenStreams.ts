/**
 * The streams a bulk load has written to its table so far, as a Bloom filter: `mightHave` false means surely
 * not written, so the loader need not look the stream up in the table (a query that would queue behind the
 * COPY in flight on the same connection). Fixed 4 MB whatever the number of streams: past tens of millions
 * of streams it answers "maybe" more often, which only costs the lookup the loader did before.
 */
export const writtenStreams = (bits = 1 << 25) => {
  const words = new Uint32Array(bits >>> 5);
  const mask = bits - 1;
  const hashes = (s: string): [number, number] => {
    // FNV-1a and a second multiplicative hash over the UTF-16 units; double hashing gives the k probes.
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    return [a >>> 0, (b | 1) >>> 0];
  };
  const K = 4;
  return {
    add: (s: string) => {
      const [a, b] = hashes(s);
      for (let k = 0; k < K; k++) {
        const bit = (a + k * b) & mask;
        words[bit >>> 5] |= 1 << (bit & 31);
      }
    },
    mightHave: (s: string): boolean => {
      const [a, b] = hashes(s);
      for (let k = 0; k < K; k++) {
        const bit = (a + k * b) & mask;
        if ((words[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
      }
      return true;
    },
  };
};
