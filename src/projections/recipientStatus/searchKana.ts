import { blindKana } from '../../personal/blindIndex.js';

/** The search form of a kana name: NFKC, hiragana as katakana, no spaces (so "ヤマダタ" finds "ヤマダ タロウ"). */
export const searchKana = (s: string): string => blindKana(s);
