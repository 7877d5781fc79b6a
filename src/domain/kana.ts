/**
 * Names in kana arrive in half-width (ｶﾀｶﾅ), hiragana or with full-width spaces. NFKC folds
 * half-width kana and the ideographic space; hiragana are shifted into the katakana block.
 */
export const normalizeKana = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/\s+/g, ' ')
    .trim();

// Katakana letters, ヴヵヶ, 長音 ー, middle dot ・, iteration marks ヽヾ, and single spaces.
const katakanaName = /^[\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+( [\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+)*$/;

export const isKatakanaName = (s: string): boolean => katakanaName.test(s);
