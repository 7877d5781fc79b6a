import { createHmac } from 'node:crypto';
import { CodedError } from '../../domain/errors.js';
import { open, seal } from '../../personal/aesGcm.js';
import type { ProjectionErrorCode } from '../rebuild/rebuildErrors.js';

/** Where a page ended: the keyset (coupon, within the municipality). */
export type SearchPosition = { coupon: string };

export class InvalidCursorError extends CodedError<ProjectionErrorCode> {
  constructor() {
    super('INVALID_CURSOR', 'cursor is not one this server issued for this search');
  }
}

/**
 * The cursor goes into a URL: sealed (AES-GCM under a key derived from the HMAC key, which no key rotation
 * destroys, so cursors stay valid across one) and bound to the municipality, opaque to anyone but this server.
 */
export const createCursorCodec = (secret: Buffer) => {
  const key = createHmac('sha256', secret).update('vrs search cursor v2').digest();
  const aad = (municipality: string) => `search:${municipality}`;
  return {
    encode: (municipality: string, p: SearchPosition): string =>
      Buffer.from(seal(key, Buffer.from(JSON.stringify([p.coupon])), aad(municipality)), 'base64').toString('base64url'),
    decode: (municipality: string, cursor: string): SearchPosition => {
      try {
        const [coupon] = JSON.parse(open(key, Buffer.from(cursor, 'base64url').toString('base64'), aad(municipality)).toString('utf8')) as unknown[];
        if (typeof coupon !== 'string') throw new Error('shape');
        return { coupon };
      } catch {
        throw new InvalidCursorError();
      }
    },
  };
};
