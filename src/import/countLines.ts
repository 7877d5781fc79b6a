import { Transform } from 'node:stream';

export type LineCount = { lines: number; lastContentLine: number };

/**
 * Text pass-through that counts physical lines (LF, CRLF or CR), so lines the CSV parser could
 * not turn into records are still reported instead of vanishing.
 */
export const countLines = (): { stream: Transform; count: LineCount } => {
  const count: LineCount = { lines: 0, lastContentLine: 0 };
  let breaks = 0;
  let pendingCR = false;
  let lineHasContent = false;
  const stream = new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string, _enc, done) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (pendingCR) {
          pendingCR = false;
          if (c === 10) continue; // the LF of a CRLF
        }
        if (c === 10 || c === 13) {
          breaks++;
          lineHasContent = false;
          pendingCR = c === 13;
        } else if (!lineHasContent && c !== 32 && c !== 9 && c !== 0xfeff) {
          lineHasContent = true;
          count.lastContentLine = breaks + 1;
        }
      }
      count.lines = breaks + (lineHasContent ? 1 : 0);
      done(null, chunk);
    },
  });
  return { stream, count };
};
