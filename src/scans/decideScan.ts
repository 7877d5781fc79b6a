import { lotMatchesMaker, normalizeLot, parseCouponLine, validDoses, type CouponLine, type Maker, type RecipientState } from '../domain/index.js';
import type { ReviewReason } from './events.js';

export type ScanFacts = {
  /** True for a QR line, two agreeing OCR passes, or a line a person typed. */
  certain: boolean;
  /** Why the reading is not certain, as the reader said. */
  failure?: 'unreadable' | 'passes-disagree' | 'check-digit';
  line: string | null;
  maker: Maker;
  lot: string | null;
  /** The state of `recipient-<municipality>-<coupon>` named by the line; ignored when the line does not parse. */
  recipient: RecipientState;
};

export type ScanDecision =
  | { kind: 'record'; municipality: string; coupon: string; doseNumber: number; lot: string }
  | { kind: 'review'; reasons: ReviewReason[] };

/** The line's parts when it is a valid line, for the recipient look-up and for the answer. */
export const parsedLine = (line: string | null): CouponLine | null => {
  if (line === null) return null;
  const r = parseCouponLine(line);
  return r.ok ? r.value : null;
};

/**
 * The certainty policy. A dose is recorded from a scan only when the reading is certain, the line is valid,
 * the coupon is registered there and active, the 回数 on the line is the next dose, and the lot fits the
 * maker. Everything else goes to a person with every reason that applies: a wrong person is never recorded
 * silently, and a guessed line is never trusted even when it names a real coupon.
 */
export const decideScan = (f: ScanFacts): ScanDecision => {
  const reasons: ReviewReason[] = [];
  if (!f.certain) reasons.push(f.failure ?? 'unreadable');
  const parsed = parsedLine(f.line);
  if (f.line === null && !reasons.includes('unreadable')) reasons.push('unreadable');
  if (f.line !== null && parsed === null && !reasons.includes('check-digit')) reasons.push('check-digit');
  if (parsed) {
    const r = f.recipient;
    if (r.kind !== 'registered' || r.municipality !== parsed.municipality || r.coupon !== parsed.coupon) reasons.push('unknown-coupon');
    else if (r.status !== 'active') reasons.push('not-active');
    else if (parsed.dose !== validDoses(r).length + 1) reasons.push('dose-mismatch');
  }
  const lot = f.lot === null ? null : normalizeLot(f.lot);
  if (!lot || !lotMatchesMaker(f.maker, lot)) reasons.push('lot-pattern');
  if (reasons.length > 0 || !parsed || !lot) return { kind: 'review', reasons: reasons.length > 0 ? reasons : ['unreadable'] };
  return { kind: 'record', municipality: parsed.municipality, coupon: parsed.coupon, doseNumber: parsed.dose, lot };
};
