export type Sex = 'M' | 'F' | 'U';

// 1/2/9 as in 住民基本台帳 exports (ISO 5218 also uses 0 for unknown).
const table: Record<string, Sex> = {
  '1': 'M', '2': 'F', '9': 'U', '0': 'U',
  m: 'M', f: 'F', u: 'U',
  male: 'M', female: 'F', unknown: 'U',
  男: 'M', 女: 'F', 男性: 'M', 女性: 'F', 不明: 'U',
};

/** Expects NFKC-normalised, trimmed text. */
export const parseSex = (s: string): Sex | undefined => table[s.toLowerCase()];
