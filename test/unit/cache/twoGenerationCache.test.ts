import { describe, expect, it } from '@jest/globals';
import { MAP_ENTRY_BYTES, stringBytes, twoGenerationCache } from '../../../src/cache/twoGenerationCache.js';

/** Every entry costs 10 bytes unless its value says otherwise. */
const sized = <K>(maxBytes: number) => twoGenerationCache<K, string>({ maxBytes, bytesOf: (_k, v) => (v.startsWith('big') ? 100 : 10) });

describe('twoGenerationCache', () => {
  it('never holds more than its bound in bytes, and drops the oldest unused entries first', () => {
    const cache = sized<number>(1000);
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      cache.set(i, `v${i}`);
      total += 10;
      expect(cache.bytes).toBeLessThanOrEqual(1000);
      expect(cache.bytes).toBe(cache.size * 10);
    }
    expect(total).toBeGreaterThan(1000); // it had to evict
    expect(cache.get(999)).toBe('v999');
    expect(cache.get(950)).toBe('v950');
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(899)).toBeUndefined();
  });

  it('counts entries by their own size: a few large ones push out many small ones, and still within the bound', () => {
    const cache = sized<string>(1000);
    for (let i = 0; i < 50; i++) cache.set(`small-${i}`, 'x');
    for (let i = 0; i < 20; i++) {
      cache.set(`large-${i}`, `big-${i}`);
      expect(cache.bytes).toBeLessThanOrEqual(1000);
    }
    expect(cache.size).toBeLessThan(20);
    expect(cache.get('small-0')).toBeUndefined();
    expect(cache.get('large-19')).toBe('big-19');
  });

  it('does not cache an entry larger than half its bound, and caches nothing with a bound of 0', () => {
    const cache = sized<string>(150);
    cache.set('a', 'big');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(0);
    const none = sized<string>(0);
    none.set('b', 'x');
    expect(none.get('b')).toBeUndefined();
    expect(none.size).toBe(0);
  });

  it('keeps the least recently used out, not the recently read: an entry read while newer ones keep arriving stays', () => {
    const cache = sized<string>(100);
    cache.set('hot', 'h');
    cache.set('cold', 'c');
    for (let i = 0; i < 100; i++) {
      cache.set(`new-${i}`, `n${i}`);
      expect(cache.get('hot')).toBe('h');
      expect(cache.bytes).toBeLessThanOrEqual(100);
    }
    expect(cache.get('cold')).toBeUndefined();
    expect(cache.get('new-0')).toBeUndefined();
    expect(cache.get('new-99')).toBe('n99');
  });

  it('a set replaces the value in whichever generation held it and counts it once; delete removes it from both', () => {
    const cache = sized<string>(40); // generations of 20 bytes: two entries
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3'); // young (a, b) was full: it is now the old generation
    cache.set('a', '4'); // moved from old to young
    expect(cache.get('a')).toBe('4');
    expect(cache.bytes).toBe(30);
    cache.set('a', '5'); // replaced in young: still counted once
    expect(cache.bytes).toBe(30);
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.bytes).toBe(20);
    cache.delete('a');
    cache.delete('c');
    expect(cache.bytes).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('estimates strings by their width', () => {
    expect(stringBytes('recipient-131016-0000000001')).toBe(48); // 16 + 27, to 8
    expect(stringBytes('ヤマダ')).toBe(24); // 16 + 2 × 3, to 8
    expect(MAP_ENTRY_BYTES).toBeGreaterThan(0);
  });
});
