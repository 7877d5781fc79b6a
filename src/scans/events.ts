import { z } from 'zod';
import { Maker } from '../domain/index.js';

/** Why a scan waits for a person. `rule-refused` carries the ledger's DomainError code in `ruleCode`. */
export const ReviewReason = z.enum([
  'unreadable',
  'passes-disagree',
  'check-digit',
  'unknown-coupon',
  'not-active',
  'dose-mismatch',
  'lot-pattern',
  'rule-refused',
]);
export type ReviewReason = z.infer<typeof ReviewReason>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const PassReading = z.object({ pass: z.string(), text: z.string(), confidence: z.number() });

/** What the image said and the dose facts the site gave with it. The image itself stays in the image store. */
export const CouponScanned = z.object({
  site: z.string(),
  siteCode: z.string(),
  method: z.enum(['qr', 'ocr', 'none']),
  line: z.string().nullable(),
  certain: z.boolean(),
  failure: z.enum(['unreadable', 'passes-disagree', 'check-digit']).optional(),
  confidence: z.number(),
  passes: z.array(PassReading).optional(),
  imageSha256: Sha256,
  lotImageSha256: Sha256.optional(),
  lotConfidence: z.number().optional(),
  date: z.string(),
  maker: Maker,
  lot: z.string().nullable(),
});

export const ScanAccepted = z.object({
  recipientStream: z.string(),
  doseNumber: z.number().int(),
  position: z.number().int().nullable(),
});

export const ScanNeedsReview = z.object({
  reasons: z.array(ReviewReason).min(1),
  ruleCode: z.string().optional(),
});

/** A person typed the line and the same rules decided; ScanAccepted or ScanNeedsReview follows in the same append. */
export const ScanResolved = z.object({
  by: z.string(),
  line: z.string(),
  outcome: z.enum(['recorded', 'needs-review']),
});

export const ScanEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('CouponScanned'), data: CouponScanned }),
  z.object({ type: z.literal('ScanAccepted'), data: ScanAccepted }),
  z.object({ type: z.literal('ScanNeedsReview'), data: ScanNeedsReview }),
  z.object({ type: z.literal('ScanResolved'), data: ScanResolved }),
]);

export type CouponScanned = z.infer<typeof CouponScanned>;
export type ScanAccepted = z.infer<typeof ScanAccepted>;
export type ScanNeedsReview = z.infer<typeof ScanNeedsReview>;
export type ScanResolved = z.infer<typeof ScanResolved>;
export type ScanEvent = z.infer<typeof ScanEvent>;
