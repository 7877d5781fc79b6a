import { createHmac } from 'node:crypto';

/**
 * A fingerprint of the master and HMAC keys: lets restore refuse the wrong keys up front, and reveals nothing
 * of them (an HMAC of a constant). The keys themselves never go into a backup.
 */
export const keyCheck = (keys: { master: Buffer; hmac: Buffer }): string =>
  createHmac('sha256', keys.master).update('vrs-backup-key-check').update(createHmac('sha256', keys.hmac).update('vrs-backup-key-check').digest()).digest('hex');
