import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { IssueCoupon } from '../commands.js';
import type { RecipientEvent } from '../events.js';
import { validDoses, type RecipientState } from '../state.js';
import { requireActive } from './common.js';

/** The ticket type (券種) printed on every coupon this system issues. */
export const COUPON_TICKET_TYPE = '1';

/** The 18 digits of a coupon's OCR line and QR: 券種 回数 市町村コード 券番号. */
export const couponLineOf = (municipality: string, coupon: string, doseNumber: number) =>
  `${COUPON_TICKET_TYPE}${doseNumber}${municipality}${coupon}`;

/**
 * Only for the dose the person may have next: a coupon for a dose already given (or two ahead) would be
 * scanned onto the wrong dose number. Only an active registration gets coupons (a moved person gets the
 * new municipality's).
 */
export const issueCoupon = (command: IssueCoupon, state: RecipientState): Result<RecipientEvent[]> => {
  const active = requireActive(state);
  if (!active.ok) return active;
  const next = validDoses(active.value).length + 1;
  if (command.doseNumber !== next)
    return err(
      new DomainError('DOSE_OUT_OF_ORDER', `doseNumber: the next dose of this recipient is ${next}`, { field: 'doseNumber', expected: next }),
    );
  const { municipality, coupon } = active.value;
  return ok([
    {
      type: 'CouponIssued',
      data: { doseNumber: command.doseNumber, batchId: command.batchId, line: couponLineOf(municipality, coupon, command.doseNumber) },
    },
  ]);
};
