import { hiraganaToKatakana, normalizeText } from './normalizeText.js';

/**
 * SEAM: stands in for `normalizeKana` from src/domain/kana.ts, which was not written yet when the
 * import was. Replace the body with a call to it once it exists so import and POST /v1/recipients
 * accept exactly the same kana.
 */
export const normalizeKanaSeam = (s: string): { ok: true; value: string } | { ok: false; error: { code: string; message: string } } => {
  const value = hiraganaToKatakana(normalizeText(s));
  // Full-width katakana block (incl. ー and ・) and single spaces between given and family name.
  if (!/^[\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FE]+( [\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FE]+)*$/.test(value))
    return { ok: false, error: { code: 'INVALID_KANA', message: 'nameKana: must be katakana (hiragana and half-width kana are converted)' } };
  return { ok: true, value };
};
