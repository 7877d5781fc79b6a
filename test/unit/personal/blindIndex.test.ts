import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { KANA_PREFIX_MAX, birthDateIndex, blindIndexKey, blindKana, kanaPrefixIndexes, kanaQueryIndex } from '../../../src/personal/blindIndex.js';
import { myNumberHmac } from '../../../src/personal/myNumberHmac.js';

const key = blindIndexKey(randomBytes(32));
const M = '131016';

describe('blind indexes for search', () => {
  it('normalises every way of writing a kana name to one search form', () => {
    for (const s of ['ヤマダ タロウ', 'やまだ たろう', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダ\u3000タロウ', ' ヤマダ  タロウ ', 'ヤマダタロウ', 'ﾔﾏﾀﾞﾀﾛｳ'])
      expect(blindKana(s)).toBe('ヤマダタロウ');
    expect(blindKana('ｶﾞｷﾞｸﾞ')).toBe('ガギグ'); // voiced marks composed
  });

  it('indexes prefixes of 1 to KANA_PREFIX_MAX characters; a query finds the name by any of them', () => {
    const name = blindKana('ボウキャクノスケ');
    const indexes = kanaPrefixIndexes(key, M, name);
    expect(indexes).toHaveLength(KANA_PREFIX_MAX);
    for (let n = 1; n <= KANA_PREFIX_MAX; n++) {
      const q = kanaQueryIndex(key, M, blindKana([...name].slice(0, n).join('')));
      expect(q).toEqual({ index: indexes[n - 1], exact: true });
    }
    // Longer: looked up by the first KANA_PREFIX_MAX characters, compared after opening.
    expect(kanaQueryIndex(key, M, name)).toEqual({ index: indexes[KANA_PREFIX_MAX - 1], exact: false });
    expect(kanaPrefixIndexes(key, M, 'ア')).toHaveLength(1);
    expect(kanaPrefixIndexes(key, M, '')).toEqual([]);
  });

  it('counts characters, not UTF-16 units (a character outside the BMP is one prefix step)', () => {
    const indexes = kanaPrefixIndexes(key, M, '\u{10FFFF}ア');
    expect(indexes).toHaveLength(2);
    expect(kanaQueryIndex(key, M, '\u{10FFFF}').index).toBe(indexes[0]);
  });

  it('is keyed, bound to the municipality and the field, and never the My Number HMAC', () => {
    const other = blindIndexKey(randomBytes(32));
    expect(kanaPrefixIndexes(other, M, 'ヤマダ')).not.toEqual(kanaPrefixIndexes(key, M, 'ヤマダ'));
    expect(kanaPrefixIndexes(key, '011002', 'ヤマダ')).not.toEqual(kanaPrefixIndexes(key, M, 'ヤマダ'));
    expect(birthDateIndex(key, M, '1960-04-01')).toBe(birthDateIndex(key, M, '1960-04-01'));
    expect(birthDateIndex(key, M, '1960-04-01')).not.toBe(birthDateIndex(key, '011002', '1960-04-01'));
    expect(birthDateIndex(key, M, '1960-04-01')).not.toBe(birthDateIndex(key, M, '1960-04-02'));
    const hmacKey = randomBytes(32);
    const derived = blindIndexKey(hmacKey);
    expect(derived.equals(hmacKey)).toBe(false);
    expect(kanaPrefixIndexes(derived, M, '123456789018')).not.toContain(myNumberHmac(hmacKey, '123456789018'));
    // Nothing of the value in the index.
    for (const i of [...kanaPrefixIndexes(key, M, 'ヤマダ'), birthDateIndex(key, M, '1960-04-01')]) expect(i).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
