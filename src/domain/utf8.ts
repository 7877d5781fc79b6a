/**
 * Where UTF-8 goes wrong, by byte offset (WHATWG's rules: no overlong forms, no surrogates, nothing past
 * U+10FFFF). A streaming scanner so a file read in chunks is checked without holding it: `push` each chunk, then
 * `end`; offsets count from the first byte pushed. An incomplete sequence at the end of a chunk waits for the next.
 */
export type Utf8Scanner = {
  /** The offsets at which an invalid sequence starts in this chunk (an empty array, the usual case, is shared). */
  push: (bytes: Uint8Array) => number[];
  /** A sequence cut off by the end of the input, if any. */
  end: () => number[];
};

const NONE: number[] = [];

/** Bytes of the sequence a lead byte starts, with the allowed range of its first continuation byte; 0 if invalid. */
const lead = (b: number): [number, number, number] => {
  if (b < 0x80) return [1, 0, 0];
  if (b >= 0xc2 && b <= 0xdf) return [2, 0x80, 0xbf];
  if (b === 0xe0) return [3, 0xa0, 0xbf];
  if (b === 0xed) return [3, 0x80, 0x9f];
  if (b >= 0xe1 && b <= 0xef) return [3, 0x80, 0xbf];
  if (b === 0xf0) return [4, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [4, 0x80, 0xbf];
  if (b === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
};

export const utf8Scanner = (): Utf8Scanner => {
  let base = 0; // offset of carry[0]
  let carry: number[] = [];
  const scan = (bytes: Uint8Array, final: boolean): number[] => {
    const all = carry.length === 0 ? bytes : Uint8Array.from([...carry, ...bytes]);
    let bad: number[] | null = null;
    let i = 0;
    const n = all.length;
    while (i < n) {
      const b = all[i];
      if (b < 0x80) {
        i++;
        continue;
      }
      const [len, lo, hi] = lead(b);
      if (len === 0) {
        (bad ??= []).push(base + i);
        i++;
        continue;
      }
      let k = 1;
      while (k < len && i + k < n) {
        const c = all[i + k];
        const ok = k === 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf;
        if (!ok) break;
        k++;
      }
      if (k === len) {
        i += len;
      } else if (i + k >= n && !final) {
        break; // cut by the chunk's end: decided with the next chunk
      } else {
        (bad ??= []).push(base + i);
        i += k; // the maximal valid prefix is one error, as the decoder's U+FFFD replaces it
      }
    }
    carry = Array.from(all.subarray(i));
    base += i;
    return bad ?? NONE;
  };
  return { push: (bytes) => scan(bytes, false), end: () => scan(new Uint8Array(0), true) };
};

/** The offset of the first byte that is not valid UTF-8, or -1 when the whole input is. */
export const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  const s = utf8Scanner();
  return s.push(bytes)[0] ?? s.end()[0] ?? -1;
};
