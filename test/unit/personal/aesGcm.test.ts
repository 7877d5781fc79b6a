import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { open, seal } from '../../../src/personal/aesGcm.js';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);

  it('uses a fresh IV for every seal, across refills of the IV pool', () => {
    const ivs = new Set<string>();
    const count = 2000; // several pools of 256
    for (let i = 0; i < count; i++) {
      const sealed = seal(key, Buffer.from('same plaintext'), 'personal:recipient-131016-1');
      ivs.add(Buffer.from(sealed, 'base64').subarray(0, 12).toString('hex'));
    }
    expect(ivs.size).toBe(count);
  });

  it('opens what it sealed, and only with the same key and aad', () => {
    const sealed = seal(key, Buffer.from('{"name":"山田 太郎"}'), 'personal:a');
    expect(open(key, sealed, 'personal:a').toString()).toBe('{"name":"山田 太郎"}');
    expect(() => open(key, sealed, 'personal:b')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'personal:a')).toThrow();
    // IV ‖ tag ‖ ciphertext: 12 + 16 + the plaintext's length.
    expect(Buffer.from(sealed, 'base64').length).toBe(12 + 16 + Buffer.byteLength('{"name":"山田 太郎"}'));
  });
});
