import { createHmac, hkdfSync } from 'node:crypto';

/** The revocation secret, derived from the HMAC key (no second secret to keep): HKDF with its own label. */
export const ridSecretOf = (hmacKey: Buffer) => Buffer.from(hkdfSync('sha256', hmacKey, Buffer.alloc(0), 'vrs shc rid', 32));

/**
 * SMART's recommended revocation id: base64url of the first 64 bits of HMAC-SHA-256 keyed with
 * (secret ‖ kid) over the holder's identifier — here the recipient stream, which no verifier can reverse.
 */
export const ridOf = (secret: Buffer | string, kid: string, userId: string) =>
  createHmac('sha256', Buffer.concat([Buffer.from(secret), Buffer.from(kid)]))
    .update(userId)
    .digest()
    .subarray(0, 8)
    .toString('base64url');
