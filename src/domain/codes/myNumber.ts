import { DomainError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { isDigits, normalizeDigits } from './digits.js';

/**
 * 個人番号 check digit: Pn is the n-th of the first 11 digits from the right, Qn = n+1 (n ≤ 6)
 * or n−5 (n ≥ 7); r = Σ Pn×Qn mod 11; check = 0 when r ≤ 1, else 11 − r.
 */
export const myNumberCheckDigit = (first11: string): number => {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(first11[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
};

/** The error never echoes the digits: a My Number must not reach a log through a message. */
export const parseMyNumber = (s: string, field = 'myNumber'): Result<string> => {
  const n = normalizeDigits(s);
  if (!isDigits(n, 12))
    return err(new DomainError('INVALID_MY_NUMBER', `${field}: must be 12 digits`, { field }));
  if (myNumberCheckDigit(n.slice(0, 11)) !== Number(n[11]))
    return err(new DomainError('INVALID_MY_NUMBER', `${field}: check digit does not match`, { field }));
  return ok(n);
};
