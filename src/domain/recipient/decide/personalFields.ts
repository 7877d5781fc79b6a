import { isCalendarDate } from '../../dates.js';
import { DomainError } from '../../errors.js';
import { isKatakanaName, normalizeKana } from '../../kana.js';
import { err, ok, type Result } from '../../result.js';

/** Names keep their characters (NFKC would fold some old-form kanji); only spaces are tidied. */
export const parseName = (s: string, field = 'name'): Result<string> => {
  const name = s.replace(/\s+/g, ' ').trim();
  return name ? ok(name) : err(new DomainError('INVALID_NAME', `${field}: must not be empty`, { field }));
};

export const parseKana = (s: string, field = 'nameKana'): Result<string> => {
  const kana = normalizeKana(s);
  return isKatakanaName(kana)
    ? ok(kana)
    : err(new DomainError('INVALID_KANA', `${field}: must be katakana (after NFKC and hiragana folding)`, { field }));
};

export const parseBirthDate = (s: string, today: string, field = 'birthDate'): Result<string> => {
  if (!isCalendarDate(s)) return err(new DomainError('INVALID_DATE', `${field}: not a real date YYYY-MM-DD`, { field }));
  if (s > today) return err(new DomainError('DATE_IN_FUTURE', `${field}: is in the future`, { field }));
  return ok(s);
};

export const optionalText = (s: string | undefined): string | undefined => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};
