import { utf8Scanner } from '../domain/index.js';

/** Physical line (1-based) → byte offset in the file of the first invalid UTF-8 sequence on it. */
export type InvalidBytes = Map<number, number>;

/** The bytes of a multi-byte sequence left incomplete at the end of a chunk (at most 3; no CR or LF among them). */
const incompleteTail = (b: Uint8Array): number => {
  for (let j = 1; j <= Math.min(3, b.length); j++) {
    const x = b[b.length - j];
    if (x < 0x80) return 0;
    if (x >= 0xc0) {
      const len = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : 2;
      return len > j ? j : 0;
    }
  }
  return 0;
};

/**
 * Beside the UTF-8 decoder: counts physical lines (LF, CRLF, CR) over the bytes and, when a chunk decoded to text
 * holding U+FFFD (rare: invalid bytes, or a U+FFFD the file really contains), finds the offsets of the invalid
 * sequences and notes each one's line. Valid chunks cost a newline count and a native `includes`.
 */
export const invalidUtf8Tracker = (out: InvalidBytes | undefined) => {
  let offset = 0; // bytes before the current chunk
  let breaks = 0; // line breaks before the current chunk
  let pendingCR = false;
  let tail = new Uint8Array(0); // the previous chunk's incomplete last sequence

  const note = (line: number, at: number) => {
    if (out && !out.has(line)) out.set(line, at);
  };
  const breaksBefore = (b: Uint8Array, end: number): number => {
    let n = 0;
    let cr = pendingCR;
    for (let i = 0; i < end; i++) {
      const c = b[i];
      if (c === 10) {
        if (!cr) n++;
        cr = false;
      } else if (c === 13) {
        n++;
        cr = true;
      } else cr = false;
    }
    return n;
  };
  const countBreaks = (b: Buffer): number => {
    let n = 0;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
    for (let i = b.indexOf(13); i >= 0; i = b.indexOf(13, i + 1)) {
      const next = i + 1 < b.length ? b[i + 1] : -1;
      if (next !== 10) n++; // CRLF counts once, by its LF
    }
    if (pendingCR && b[0] === 10) n--; // a CR at the end of the last chunk already counted this break
    return n;
  };

  return {
    chunk: (b: Buffer, text: string) => {
      if (out && text.includes('\uFFFD')) {
        const scanner = utf8Scanner();
        const joined = tail.length === 0 ? b : Buffer.concat([tail, b]);
        for (const at of scanner.push(joined)) {
          const inChunk = at - tail.length;
          note(breaks + (inChunk > 0 ? breaksBefore(b, inChunk) : 0) + 1, offset - tail.length + at);
        }
      }
      breaks += countBreaks(b);
      pendingCR = b.length > 0 ? b[b.length - 1] === 13 : pendingCR;
      const t = incompleteTail(b);
      tail = t === 0 ? new Uint8Array(0) : Uint8Array.from(b.subarray(b.length - t));
      offset += b.length;
    },
    end: (text: string) => {
      if (text.includes('\uFFFD') && tail.length > 0) note(breaks + 1, offset - tail.length);
    },
  };
};
