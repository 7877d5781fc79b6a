import { DomainError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { isDigits, normalizeDigits } from './digits.js';

/** 全国地方公共団体コード: weights 6..2 on digits 1–5, r = sum mod 11, check = (11 − r) mod 10. */
export const municipalityCheckDigit = (first5: string): number => {
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first5[i]), 0);
  return (11 - (sum % 11)) % 10;
};

export const prefectureOf = (code: string): string => code.slice(0, 2);

const invalid = (reason: string, field: string) =>
  err(new DomainError('INVALID_MUNICIPALITY_CODE', `${field}: ${reason}`, { field, reason }));

export const parseMunicipalityCode = (s: string, field = 'municipality'): Result<string> => {
  const code = normalizeDigits(s);
  if (!isDigits(code, 6)) return invalid('must be 6 digits', field);
  const prefecture = Number(prefectureOf(code));
  if (prefecture < 1 || prefecture > 47) return invalid('prefecture part must be 01–47', field);
  if (municipalityCheckDigit(code.slice(0, 5)) !== Number(code[5]))
    return invalid('check digit does not match', field);
  return ok(code);
};
