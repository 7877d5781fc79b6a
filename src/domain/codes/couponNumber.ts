import { DomainError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { isDigits, normalizeDigits } from './digits.js';

/** 券番号: 10 digits, unique only inside its municipality; it has no check digit. */
export const parseCouponNumber = (s: string, field = 'coupon'): Result<string> => {
  const n = normalizeDigits(s);
  if (!isDigits(n, 10))
    return err(new DomainError('INVALID_COUPON_NUMBER', `${field}: must be 10 digits`, { field }));
  return ok(n);
};
