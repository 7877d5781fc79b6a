import sharp from 'sharp';
import type { DecodedImage } from './decodeImage.js';
import { deskewCrop } from './deskewCrop.js';
import type { LineCandidate } from './findLine.js';
import type { OcrPool } from './ocrPool.js';
import { otsuThreshold } from './otsu.js';

export type PassName = 'neighbourhood' | 'deskewed-crop';
export type PassReading = { pass: PassName; text: string; confidence: number };

const digits = '0123456789';
const clean = (text: string) => text.replace(/\s+/g, '');

const greyImage = (image: DecodedImage) =>
  sharp(image.grey, { raw: { width: image.width, height: image.height, channels: 1 } });

// Pass 1 (the setting measured best in NOTES): greyscale at the original scale, tesseract's own
// deskew (rotateAuto) and binarisation, with a rectangle around the line. The image handed over is
// the line's neighbourhood (two character heights around it), not the whole coupon: same reading, less work.
export const readWholeImage = async (image: DecodedImage, c: LineCandidate, pool: OcrPool): Promise<PassReading> => {
  const m = Math.round(c.charHeight * 2);
  const left = Math.max(0, c.rect.left - m), top = Math.max(0, c.rect.top - m);
  const region = {
    left,
    top,
    width: Math.min(image.width, c.rect.left + c.rect.width + m) - left,
    height: Math.min(image.height, c.rect.top + c.rect.height + m) - top,
  };
  const png = await greyImage(image).extract(region).withMetadata({ density: 300 }).png({ compressionLevel: 1 }).toBuffer();
  const rectangle = { ...c.rect, left: c.rect.left - left, top: c.rect.top - top };
  const r = await pool.recognize({ image: png, whitelist: digits, rectangle, rotateAuto: true });
  return { pass: 'neighbourhood', text: clean(r.text), confidence: r.confidence };
};

// Pass 2, independent preprocessing: our own deskew from the glyph centres, a crop, rescaled to a
// fixed 40 px character height, contrast-stretched and thresholded by Otsu, with a white margin.
export const readDeskewedCrop = async (image: DecodedImage, c: LineCandidate, pool: OcrPool): Promise<PassReading> => {
  const scale = 40 / c.charHeight;
  const turned = deskewCrop(image, c.rect, c.angle, scale);
  const { data, info } = await sharp(turned.data, { raw: { width: turned.width, height: turned.height, channels: 1 } })
    .normalise()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const t = otsuThreshold(data);
  for (let i = 0; i < data.length; i++) data[i] = data[i] < t ? 0 : 255;
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .extend({ top: 24, bottom: 24, left: 24, right: 24, background: '#ffffff' })
    .withMetadata({ density: 300 })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const r = await pool.recognize({ image: png, whitelist: digits });
  return { pass: 'deskewed-crop', text: clean(r.text), confidence: r.confidence };
};
