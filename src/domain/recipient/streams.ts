import { normalizeDigits } from '../codes/digits.js';

/**
 * Stream names fixed by DESIGN: one recipient stream per municipality and coupon. Codes are named in their
 * canonical form (the one decide checks and records), so `０００００-００００１` and `0000000001` are one stream.
 */
export const recipientStream = (municipality: string, coupon: string): string =>
  `recipient-${normalizeDigits(municipality)}-${normalizeDigits(coupon)}`;

export const parseRecipientStream = (stream: string): { municipality: string; coupon: string } | null => {
  const m = /^recipient-(\d{6})-(\d{10})$/.exec(stream);
  return m ? { municipality: m[1], coupon: m[2] } : null;
};
