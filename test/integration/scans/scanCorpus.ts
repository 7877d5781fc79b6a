import sharp from 'sharp';
import { layoutNames, type LayoutName } from '../../fixtures/coupons/layouts.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';
import { randomInt, seededRandom } from '../../fixtures/coupons/random.js';
import { variants, type Variant } from '../../fixtures/coupons/variants.js';

import { CHIYODA, SAPPORO, YOKOHAMA } from '../../support/people.js';

const municipalities = [CHIYODA, SAPPORO, YOKOHAMA];

// Digits OCR confuses (the real VRS read 1 as 4): a neighbour coupon differs from the true one by one of these.
const confusable: Record<string, string> = { '0': '8', '1': '4', '2': '7', '3': '5', '4': '1', '5': '3', '6': '8', '7': '1', '8': '3', '9': '4' };

export type ScanCase = {
  name: string;
  line: string;
  municipality: string;
  coupon: string;
  /** A registered coupon one confusable digit away: what a misread would most likely hit. */
  neighbour: string;
  layout: LayoutName;
  variant: Variant;
  qr: boolean;
  seed: number;
  /** Degraded past what the reader is built for (tiny and blurred): provokes real misreads and disagreements. */
  harsh?: boolean;
};

export const lineOf = (dose: number, municipality: string, coupon: string) => `1${dose}${municipality}${coupon}`;

/** Dose-1 coupons (so a fresh registration can take them), every variant, layouts rotating, with and without QR. */
export const scanCases = ({ seed = 11, ocrPerVariant = 2 } = {}): ScanCase[] => {
  const rand = seededRandom(seed);
  const cases: ScanCase[] = [];
  let k = 0;
  const add = (variant: Variant, qr: boolean, harsh = false) => {
    const municipality = municipalities[k % municipalities.length];
    const coupon = Array.from({ length: 10 }, () => String(randomInt(rand, 0, 9))).join('');
    const at = randomInt(rand, 0, 9);
    const neighbour = coupon.slice(0, at) + confusable[coupon[at]] + coupon.slice(at + 1);
    const layout = layoutNames[k % layoutNames.length];
    const name = `${harsh ? 'harsh-' : ''}${variant}/${layout}/${qr ? 'qr' : 'ocr'}/${k}`;
    cases.push({ name, line: lineOf(1, municipality, coupon), municipality, coupon, neighbour, layout, variant, qr, seed: randomInt(rand, 1, 2 ** 30), ...(harsh ? { harsh } : {}) });
    k++;
  };
  for (const v of variants) add(v, true);
  for (const v of variants) for (let i = 0; i < ocrPerVariant; i++) add(v, false);
  for (const v of harshVariants) for (let i = 0; i < 2; i++) add(v, false, true);
  return cases;
};

const harshVariants: Variant[] = ['clean', 'noise', 'blur', 'rotate', 'lowContrast', 'jpeg40'];

export const renderScanCase = async (c: ScanCase) => {
  const image = await makeCoupon({ line: c.line, layout: c.layout, variant: c.variant, qr: c.qr, seed: c.seed });
  if (!c.harsh) return image;
  const small = await sharp(image).resize({ width: 260 }).blur(1.0).png().toBuffer();
  return sharp(small).resize({ width: 1000 }).png().toBuffer();
};

/** A coupon number that none of the cases uses. */
export const otherCoupon = (n: number) => `9${String(n).padStart(9, '0')}`;
