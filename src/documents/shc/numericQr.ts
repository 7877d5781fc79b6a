/**
 * `shc:/` numeric QR content: each JWS character c becomes the two digits of ord(c) − 45 ('-' is the lowest
 * character of a compact JWS, 'z' the highest: 00–77).
 */
const OFFSET = 45;
const MAX_PAIR = 'z'.charCodeAt(0) - OFFSET;

export const toShcNumeric = (jws: string) => {
  let digits = '';
  for (let i = 0; i < jws.length; i++) digits += String(jws.charCodeAt(i) - OFFSET).padStart(2, '0');
  return `shc:/${digits}`;
};

export type NumericDecode = { ok: true; jws: string } | { ok: false; reason: 'NOT_SHC' | 'CHUNKED' | 'BAD_DIGITS'; message: string };

export const fromShcNumeric = (text: string): NumericDecode => {
  const s = text.trim();
  if (!/^shc:\//i.test(s)) return { ok: false, reason: 'NOT_SHC', message: 'shc: a SMART Health Card QR starts with "shc:/"' };
  const body = s.slice(5);
  if (/^\d+\/\d+\//.test(body)) return { ok: false, reason: 'CHUNKED', message: 'shc: cards split over several QR codes (deprecated chunking) are not accepted' };
  if (!/^\d+$/.test(body) || body.length % 2 !== 0)
    return { ok: false, reason: 'BAD_DIGITS', message: 'shc: after "shc:/" there must be an even number of digits' };
  let jws = '';
  for (let i = 0; i < body.length; i += 2) {
    const n = Number(body.slice(i, i + 2));
    if (n > MAX_PAIR) return { ok: false, reason: 'BAD_DIGITS', message: `shc: digit pair at ${i} is not a JWS character` };
    jws += String.fromCharCode(n + OFFSET);
  }
  return { ok: true, jws };
};

/** The QR segments the spec prescribes: the prefix in byte mode, the digits in numeric mode. */
export const shcQrSegments = (numeric: string) => [
  { data: 'shc:/', mode: 'byte' as const },
  { data: numeric.slice(5), mode: 'numeric' as const },
];
