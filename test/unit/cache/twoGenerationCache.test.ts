import { describe, expect, it } from '@jest/globals';
import { twoGenerationCache } from '../../../src/cache/twoGenerationCache.js';

describe('twoGenerationCache', () => {
  it('never holds more than max entries, and drops the oldest unused ones first', () => {
    const cache = twoGenerationCache<number, string>(100);
    for (let i = 0; i < 1000; i++) {
      cache.set(i, `v${i}`);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.get(999)).toBe('v999');
    expect(cache.get(950)).toBe('v950');
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(899)).toBeUndefined();
  });

  it('keeps an entry that is read while newer ones keep arriving', () => {
    const cache = twoGenerationCache<string, number>(10);
    cache.set('hot', 1);
    for (let i = 0; i < 100; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get('hot')).toBe(1);
    }
    expect(cache.get('cold-0')).toBeUndefined();
  });

  it('a set replaces the value in whichever generation held it; delete removes it from both', () => {
    const cache = twoGenerationCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2); // young is full: a and b are now the old generation
    cache.set('a', 3);
    expect(cache.get('a')).toBe(3);
    cache.get('b'); // b is read, so copied to the young generation too
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
    cache.set('c', 4);
    cache.set('d', 5);
    expect(cache.get('b')).toBeUndefined();
  });
});
