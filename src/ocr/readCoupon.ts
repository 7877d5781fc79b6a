import { parseCouponLine } from '../domain/codes/couponLine.js';
import { decodeImage, type DecodeLimits } from './decodeImage.js';
import { findLineCandidates } from './findLine.js';
import type { OcrPool } from './ocrPool.js';
import { readDeskewedCrop, readWholeImage, type PassReading } from './readLine.js';
import { readQr } from './readQr.js';

export type ReadFailure = 'unreadable' | 'passes-disagree' | 'check-digit';

/** What one coupon image says. `certain` is true only for a valid QR line, or two independent OCR
 *  passes agreeing digit for digit on a line whose structure and municipality check digit hold. */
export type CouponReading = {
  method: 'qr' | 'ocr' | 'none';
  line: string | null; // the agreed line, or the best guess to show a reviewer, or null
  passes?: PassReading[];
  confidence: number; // 0–100; 100 for QR
  agreed: boolean;
  certain: boolean;
  reason?: ReadFailure;
  imageSha256: string;
};

export type ReadCouponOptions = { limits?: DecodeLimits; qr?: boolean };

const valid = (text: string) => text.length === 18 && parseCouponLine(text).ok;

/** Reads a coupon photo: QR first, else the OCR line twice. Throws ImageError (before any OCR) for
 *  anything that is not a readable PNG/JPEG/WebP/HEIC within the limits. */
export const readCoupon = async (image: Buffer, pool: OcrPool, options: ReadCouponOptions = {}): Promise<CouponReading> => {
  const decoded = await decodeImage(image, options.limits);
  const imageSha256 = decoded.sha256;
  if (options.qr !== false) {
    const qr = await readQr(decoded);
    // A QR code that holds something other than a valid line is not trusted; the OCR line decides.
    if (qr !== null && valid(qr)) return { method: 'qr', line: qr, confidence: 100, agreed: true, certain: true, imageSha256 };
  }
  const tried: PassReading[] = [];
  for (const candidate of findLineCandidates(decoded, 2)) {
    const passes = await Promise.all([readWholeImage(decoded, candidate, pool), readDeskewedCrop(decoded, candidate, pool)]);
    const [a, b] = passes;
    if (a.text.length !== 18 && b.text.length !== 18) {
      tried.push(...passes); // probably not the line: a title or label; try the next candidate
      continue;
    }
    const confidence = Math.min(a.confidence, b.confidence);
    if (a.text === b.text) {
      const ok = valid(a.text);
      return { method: 'ocr', line: a.text, passes, confidence, agreed: true, certain: ok, ...(ok ? {} : { reason: 'check-digit' }), imageSha256 };
    }
    const guess = [a, b].filter((p) => valid(p.text)).sort((x, y) => y.confidence - x.confidence)[0];
    return { method: 'ocr', line: guess?.text ?? null, passes, confidence, agreed: false, certain: false, reason: 'passes-disagree', imageSha256 };
  }
  return { method: 'none', line: null, ...(tried.length ? { passes: tried } : {}), confidence: 0, agreed: false, certain: false, reason: 'unreadable', imageSha256 };
};
