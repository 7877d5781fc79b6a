import { normalizeKana } from '../../domain/index.js';

/** The search form of a kana name: NFKC, hiragana as katakana, no spaces (so "ヤマダタ" finds "ヤマダ タロウ"). */
export const searchKana = (s: string): string => normalizeKana(s).replace(/ /g, '');
