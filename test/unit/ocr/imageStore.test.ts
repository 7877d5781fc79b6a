import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImageStore } from '../../../src/ocr/imageStore.js';

describe('imageStore', () => {
  it('stores by content digest, once per content, and sweeps files past retention', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vrs-scans-'));
    try {
      const store = createImageStore(dir);
      const a = await store.put(Buffer.from('image a'));
      expect(await store.put(Buffer.from('image a'))).toBe(a);
      const b = await store.put(Buffer.from('image b'));
      expect(store.path(a)).toBe(join(dir, 'scans', a.slice(0, 2), a));
      expect((await store.get(a))?.toString()).toBe('image a');
      expect(await store.get('0'.repeat(64))).toBeNull();
      expect(() => store.path('../etc/passwd')).toThrow();
      const old = new Date(Date.now() - 40 * 86_400_000);
      await utimes(store.path(a), old, old);
      expect(await store.sweep(30)).toBe(1);
      expect(await store.get(a)).toBeNull();
      expect((await store.get(b))?.toString()).toBe('image b');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
