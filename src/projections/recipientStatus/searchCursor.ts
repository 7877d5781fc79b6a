import { createHmac } from 'node:crypto';
import { open, seal } from '../../personal/aesGcm.js';

/** Where a page ended: the keyset (search kana, coupon). */
export type SearchPosition = { kana: string; coupon: string };

export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('cursor is not one this server issued for this search');
    this.name = 'InvalidCursorError';
  }
}

/**
 * The cursor goes into a URL, and the keyset holds kana: so it is sealed (AES-GCM under a key derived from the
 * master key) and bound to the municipality, opaque and unreadable to anyone but this server.
 */
export const createCursorCodec = (master: Buffer) => {
  const key = createHmac('sha256', master).update('vrs search cursor v1').digest();
  const aad = (municipality: string) => `search:${municipality}`;
  return {
    encode: (municipality: string, p: SearchPosition): string =>
      Buffer.from(seal(key, Buffer.from(JSON.stringify([p.kana, p.coupon])), aad(municipality)), 'base64').toString('base64url'),
    decode: (municipality: string, cursor: string): SearchPosition => {
      try {
        const [kana, coupon] = JSON.parse(open(key, Buffer.from(cursor, 'base64url').toString('base64'), aad(municipality)).toString('utf8')) as unknown[];
        if (typeof kana !== 'string' || typeof coupon !== 'string') throw new Error('shape');
        return { kana, coupon };
      } catch {
        throw new InvalidCursorError();
      }
    },
  };
};
