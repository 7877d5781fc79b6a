import type { CsvEncoding } from './resolveCharset.js';

/** Non-ASCII bytes to see before deciding; a header alone is often ASCII in both encodings. */
const enoughNonAscii = 256;

const countNonAscii = (bytes: Uint8Array): number => {
  let n = 0;
  for (const b of bytes) if (b >= 0x80) n++;
  return n;
};

/**
 * UTF-8 or CP932 from the start of a file. Returns undefined while the sample cannot tell yet
 * (the caller buffers more). A multibyte character cut at the end of the sample is not an error:
 * `stream: true` keeps the incomplete tail aside instead of rejecting it.
 */
export const detectEncoding = (sample: Uint8Array, ended: boolean): CsvEncoding | undefined => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return 'cp932';
  }
  if (ended || countNonAscii(sample) >= enoughNonAscii) return 'utf8';
  return undefined;
};
