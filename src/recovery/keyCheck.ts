import { createHmac } from 'node:crypto';

/**
 * A fingerprint of the keys a backup needs: the key-encryption key of its current key epoch (which wraps every data
 * key in it) and the HMAC key (My Number look-ups, blind indexes). Lets restore refuse the wrong keys up front, and
 * reveals nothing of them (an HMAC of a constant). The keys themselves never go into a backup.
 */
export const keyCheck = (keys: { kek: Buffer; hmac: Buffer }): string =>
  createHmac('sha256', keys.kek)
    .update('vrs-backup-key-check')
    .update(createHmac('sha256', keys.hmac).update('vrs-backup-key-check').digest())
    .digest('hex');
