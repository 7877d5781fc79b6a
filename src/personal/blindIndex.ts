import { createHmac } from 'node:crypto';
import { normalizeKana } from '../domain/kana.js';

/**
 * Keyed blind indexes for searching sealed read models: an equality of HMACs stands for an equality of values, and
 * nobody without the key can compute one from a guessed name. The key is derived from the HMAC key under its own
 * label, so it is never the My Number HMAC. Each index is bound to the municipality (the same name in two
 * municipalities gives unrelated values) and to the field.
 */
export const blindIndexKey = (hmacKey: Buffer): Buffer => createHmac('sha256', hmacKey).update('vrs blind index v1').digest();

/**
 * Kana prefixes of 1 to KANA_PREFIX_MAX characters are indexed. A longer query is looked up by its first
 * KANA_PREFIX_MAX characters and the rest compared after opening the rows: 6 characters already narrow a
 * municipality to a few people, and each indexed length is one more equality an index reveals.
 */
export const KANA_PREFIX_MAX = 6;

/** The search form of a kana name: NFKC, hiragana as katakana, no spaces (so "ヤマダタ" finds "ヤマダ タロウ"). */
export const blindKana = (s: string): string => normalizeKana(s).replace(/ /g, '');

/** 16 bytes of HMAC-SHA-256, base64url: 22 characters, no collision in any realistic population. */
const mac = (key: Buffer, label: string): string => createHmac('sha256', key).update(label).digest().subarray(0, 16).toString('base64url');

/** Every indexed prefix of a name (already in search form), shortest first; none for an empty name. */
export const kanaPrefixIndexes = (key: Buffer, municipality: string, kana: string): string[] => {
  const chars = [...kana];
  const out: string[] = [];
  for (let n = 1; n <= Math.min(KANA_PREFIX_MAX, chars.length); n++) out.push(mac(key, `kana\u0000${municipality}\u0000${chars.slice(0, n).join('')}`));
  return out;
};

/** The index to look a query prefix up by, and whether rows found must still be compared with the whole prefix. */
export const kanaQueryIndex = (key: Buffer, municipality: string, prefix: string): { index: string; exact: boolean } => {
  const chars = [...prefix];
  const head = chars.slice(0, KANA_PREFIX_MAX).join('');
  return { index: mac(key, `kana\u0000${municipality}\u0000${head}`), exact: chars.length <= KANA_PREFIX_MAX };
};

export const birthDateIndex = (key: Buffer, municipality: string, birthDate: string): string => mac(key, `birth\u0000${municipality}\u0000${birthDate}`);
