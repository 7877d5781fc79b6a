import { z } from 'zod';
import { ageOn, CalendarDateSchema, DoseNumber, toVaccinationStatus, validDoses, type RegisteredRecipient } from '../../domain/index.js';

/**
 * Who gets a coupon in a batch: those whose next dose is `doseNumber`, eligible (the domain's
 * `nextEligibleDate`) on or before `eligibleBy`, aged `minAge`–`maxAge` on that day (whole years).
 */
export const CouponCriteria = z
  .object({
    doseNumber: DoseNumber,
    eligibleBy: CalendarDateSchema.optional(),
    minAge: z.number().int().min(0).max(150).optional(),
    maxAge: z.number().int().min(0).max(150).optional(),
    /** Only these coupon numbers (a reprint of a lost coupon is a batch of one). */
    coupons: z.array(z.string().regex(/^\d{10}$/, 'must be a 10-digit coupon number')).min(1).max(1000).optional(),
    /** At most this many coupons in one batch (the rest wait for the next). */
    limit: z.number().int().min(1).max(100_000).default(10_000),
  })
  .strict()
  .refine((c) => c.minAge === undefined || c.maxAge === undefined || c.minAge <= c.maxAge, { message: 'minAge must not be above maxAge', path: ['minAge'] });
export type CouponCriteria = z.infer<typeof CouponCriteria>;

/** The day from which the person may have the dose, when they are due under the criteria; else null. */
export const dueUnder = (state: RegisteredRecipient, c: CouponCriteria, today: string): { eligibleFrom: string } | null => {
  if (state.status !== 'active' || !state.person) return null;
  if (validDoses(state).length + 1 !== c.doseNumber) return null;
  const eligibleFrom = toVaccinationStatus(state).nextEligibleDate;
  if (!eligibleFrom) return null;
  const day = c.eligibleBy ?? today;
  if (eligibleFrom > day) return null;
  const age = ageOn(state.person.birthDate, day);
  if (c.minAge !== undefined && age < c.minAge) return null;
  if (c.maxAge !== undefined && age > c.maxAge) return null;
  return { eligibleFrom };
};
