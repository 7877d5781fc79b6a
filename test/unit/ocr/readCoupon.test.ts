import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { createOcrPool, type OcrPool } from '../../../src/ocr/ocrPool.js';
import { readCoupon, type CouponReading } from '../../../src/ocr/readCoupon.js';
import { readLot } from '../../../src/ocr/readLot.js';
import { corpusCases, renderCase, type CorpusCase } from '../../fixtures/coupons/corpus.js';
import { registerOcrbFont } from '../../fixtures/coupons/font.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';

// Measured on this corpus (seed 7): 56/56 OCR-only coupons read certain and correct, 28/28 QR.
// The floors leave a little room for a different libvips/tesseract build, none for a wrong reading.
const cleanFloor = 0.9;
const allVariantsFloor = 0.85;

let pool: OcrPool;
const results: { c: CorpusCase; r: CouponReading }[] = [];
const qrCases = corpusCases({ qr: true, perCell: 1 });
const ocrCases = corpusCases({ qr: false, perCell: 2 });

beforeAll(async () => {
  pool = await createOcrPool({ size: 2 });
  for (const c of [...qrCases, ...ocrCases]) results.push({ c, r: await readCoupon(await renderCase(c), pool) });
}, 120_000);

afterAll(async () => {
  await pool?.close();
});

describe('readCoupon on the generated corpus', () => {
  it('reads every QR coupon, in every variant, from its QR code', () => {
    const qr = results.filter(({ c }) => c.qr);
    expect(qr).toHaveLength(28);
    for (const { c, r } of qr) expect({ name: c.name, method: r.method, line: r.line, certain: r.certain }).toEqual({ name: c.name, method: 'qr', line: c.line, certain: true });
  });

  it('never marks a reading certain when it differs from the true line, across all variants', () => {
    const certainWrong = results.filter(({ c, r }) => r.certain && r.line !== c.line).map(({ c, r }) => `${c.name}: ${r.line}`);
    expect(certainWrong).toEqual([]);
  });

  it('keeps the measured OCR accuracy (certain and correct) as a floor', () => {
    const ocr = results.filter(({ c }) => !c.qr);
    const rate = (xs: typeof ocr) => xs.filter(({ c, r }) => r.certain && r.line === c.line).length / xs.length;
    for (const { r } of ocr) expect(r.method).not.toBe('qr');
    expect(rate(ocr.filter(({ c }) => c.variant === 'clean'))).toBeGreaterThanOrEqual(cleanFloor);
    expect(rate(ocr)).toBeGreaterThanOrEqual(allVariantsFloor);
  });

  it('reports both passes and the image digest for an OCR reading', () => {
    const { r } = results.find(({ c }) => !c.qr)!;
    expect(r.passes?.map((p) => p.pass)).toEqual(['neighbourhood', 'deskewed-crop']);
    expect(r.imageSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('readCoupon certainty policy', () => {
  it('does not trust an agreed OCR line whose municipality check digit fails', async () => {
    const line = '121310150123456789'; // 131016 is valid; 131015 is not
    const r = await readCoupon(await makeCoupon({ line, layout: 'chiyoda', variant: 'clean', qr: false }), pool);
    expect(r).toMatchObject({ method: 'ocr', certain: false, reason: 'check-digit' });
  });

  it('ignores a QR code that holds no valid line and reads the OCR line instead', async () => {
    const png = await makeCoupon({ line: '131410030000004242', layout: 'sapporo', variant: 'clean', qr: false });
    const qr = await makeCoupon({ line: 'https://example.com', layout: 'sapporo', variant: 'clean', qr: true });
    // Paste the QR corner of the second coupon (QR at 780,380) onto the first.
    const corner = await sharp(qr).extract({ left: 770, top: 370, width: 200, height: 200 }).toBuffer();
    const mixed = await sharp(png).composite([{ input: corner, left: 770, top: 370 }]).png().toBuffer();
    const r = await readCoupon(mixed, pool);
    expect(r).toMatchObject({ method: 'ocr', line: '131410030000004242', certain: true });
  });

  it('answers "none / unreadable" for a photo without a line', async () => {
    const blank = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#f4f4f0' } }).png().toBuffer();
    expect(await readCoupon(blank, pool)).toMatchObject({ method: 'none', line: null, certain: false, reason: 'unreadable' });
  });
});

describe('readLot', () => {
  it('reads a sticker lot number, normalised to upper case without spaces', async () => {
    await registerOcrbFont();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="160"><rect width="100%" height="100%" fill="#fff"/>
<text x="40" y="100" font-family="OCR B" font-size="56">FA 7812</text></svg>`;
    const r = await readLot(await sharp(Buffer.from(svg)).png().toBuffer(), pool);
    expect(r.text).toBe('FA7812');
  });
});
