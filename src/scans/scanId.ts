import { createHash } from 'node:crypto';

/** The same photo uploaded twice by the same site is the same scan: one dose, the first answer again. */
export const scanIdOf = (imageSha256: string, site: string): string =>
  createHash('sha256').update(`${site}\n${imageSha256}`).digest('hex').slice(0, 32);

export const scanStream = (scanId: string): string => `scan-${scanId}`;

export const isScanId = (s: string): boolean => /^[0-9a-f]{32}$/.test(s);

/** The ledger's idempotency key for the dose a scan records. */
export const scanCommandId = (scanId: string): string => `scan:${scanId}`;
