import { ageOn, isCalendarDate } from '../../dates.js';
import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import { productAvailableOn, productFirstUseInJapan } from '../../productFirstUse.js';
import { PRIMARY_SERIES_DOSES, lotMatchesMaker, nextEligibleDate, vaccineTable, type Maker } from '../../vaccines.js';

/** The facts of a dose the rules look at. */
export type HistoryDose = { doseNumber: number; date: string; maker: Maker; lot: string };
export type HistoryContext = { birthDate: string | null; today: string };

const fail = (code: DomainError['code'], message: string, details: Record<string, unknown>) =>
  err(new DomainError(code, message, { field: 'date', ...details }));

/**
 * Rules on what the request alone says (no person needed): a real date, not in the future, not before the product's
 * first use in Japan, a lot that fits the maker. Checked before the person is read, so a refusal here tells the
 * caller nothing about anyone.
 */
export const checkDoseRequest = (d: HistoryDose, today: string): Result<void> => {
  const n = d.doseNumber;
  if (!isCalendarDate(d.date)) return fail('INVALID_DATE', `date of dose ${n}: not a real date YYYY-MM-DD`, { doseNumber: n });
  if (d.date > today) return fail('DATE_IN_FUTURE', `date of dose ${n}: is in the future`, { doseNumber: n });
  if (!productAvailableOn(d.maker, d.date))
    return fail('DATE_BEFORE_PRODUCT_AVAILABLE', `date of dose ${n}: ${d.maker} was first given in Japan on ${productFirstUseInJapan[d.maker]}`, {
      doseNumber: n,
      firstUse: productFirstUseInJapan[d.maker],
    });
  if (!lotMatchesMaker(d.maker, d.lot))
    return err(
      new DomainError('INVALID_LOT', `vaccine.lot of dose ${n}: does not match the ${d.maker} lot format`, {
        field: 'vaccine.lot',
        doseNumber: n,
      }),
    );
  return ok(undefined);
};

/** Rules on one dose alone: the request's own (above), then not before birth and old enough. */
export const checkDose = (d: HistoryDose, ctx: HistoryContext): Result<void> => {
  const n = d.doseNumber;
  const request = checkDoseRequest(d, ctx.today);
  if (!request.ok) return request;
  if (ctx.birthDate !== null) {
    if (d.date < ctx.birthDate)
      return fail('DATE_BEFORE_BIRTH', `date of dose ${n}: is before the birth date`, { doseNumber: n });
    const minimumAge = vaccineTable[d.maker].minimumAge;
    if (ageOn(ctx.birthDate, d.date) < minimumAge)
      return fail('AGE_NOT_ELIGIBLE', `dose ${n}: ${d.maker} is for ages ${minimumAge} and over on the vaccination date`, {
        doseNumber: n,
        minimumAge,
      });
  }
  return ok(undefined);
};

/** Rules between consecutive valid doses: later date, not the same day, at least the minimum interval. */
export const checkPair = (prev: HistoryDose, next: HistoryDose): Result<void> => {
  const n = next.doseNumber;
  if (next.date < prev.date)
    return fail('DOSE_OUT_OF_ORDER', `date of dose ${n}: is before dose ${prev.doseNumber}`, {
      doseNumber: n,
      previousDoseNumber: prev.doseNumber,
    });
  if (next.date === prev.date)
    return fail('SAME_DAY_DOSE', `date of dose ${n}: another dose was given the same day`, {
      doseNumber: n,
      previousDoseNumber: prev.doseNumber,
    });
  const earliest = nextEligibleDate({ date: prev.date, maker: prev.maker }, n, next.maker);
  if (next.date < earliest) {
    const minimum =
      n <= PRIMARY_SERIES_DOSES
        ? `${vaccineTable[prev.maker].primaryIntervalDays} days`
        : `${vaccineTable[next.maker].boosterIntervalMonths} months`;
    return fail('DOSE_INTERVAL_TOO_SHORT', `date of dose ${n}: less than ${minimum} after dose ${prev.doseNumber}`, {
      doseNumber: n,
      previousDoseNumber: prev.doseNumber,
      minimum,
      earliest,
    });
  }
  return ok(undefined);
};

/**
 * Checks a history of valid doses (sorted by dose number). `touched` lists the positions that
 * changed: each is checked alone and against both neighbours. With a history that kept the rules
 * before, that is the same as re-checking all of it; omitted, every position is checked.
 */
export const checkHistory = (doses: HistoryDose[], ctx: HistoryContext, touched?: number[]): Result<void> => {
  const positions = touched ?? doses.map((_, i) => i);
  for (const i of positions) {
    const d = doses[i];
    if (!d) continue;
    if (d.doseNumber !== i + 1)
      return fail('DOSE_OUT_OF_ORDER', `doseNumber: expected ${i + 1}`, { field: 'doseNumber', expected: i + 1 });
    if (!isCalendarDate(d.date))
      return fail('INVALID_DATE', `date of dose ${d.doseNumber}: not a real date YYYY-MM-DD`, { doseNumber: d.doseNumber });
    const prev = doses[i - 1];
    // Order and same-day come before per-dose rules: they name the real mistake (a swapped date).
    if (prev) {
      const r = checkPair(prev, d);
      if (!r.ok) return r;
    }
    const self = checkDose(d, ctx);
    if (!self.ok) return self;
    const next = doses[i + 1];
    if (next) {
      const r = checkPair(d, next);
      if (!r.ok) return r;
    }
  }
  return ok(undefined);
};
