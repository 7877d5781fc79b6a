import { decodeImage, type DecodeLimits } from './decodeImage.js';
import type { OcrPool } from './ocrPool.js';
import sharp from 'sharp';

export type LotReading = { text: string | null; confidence: number; imageSha256: string };

const lotWhitelist = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The lot number as printed (NFKC, upper case, no spaces). Whether it fits the maker's pattern is
 *  the domain's call (`lotMatchesMaker`); a misread must go to review, never be corrected here. */
export const normaliseLot = (text: string): string => text.normalize('NFKC').toUpperCase().replace(/[\s\-‐－]+/g, '');

/** Reads the manufacturer's sticker: a single line of A–Z0–9, greyscale, contrast-stretched. */
export const readLot = async (image: Buffer, pool: OcrPool, limits?: DecodeLimits): Promise<LotReading> => {
  const d = await decodeImage(image, limits);
  const png = await sharp(d.grey, { raw: { width: d.width, height: d.height, channels: 1 } })
    .normalise()
    .withMetadata({ density: 300 })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const r = await pool.recognize({ image: png, whitelist: lotWhitelist, rotateAuto: true });
  const text = normaliseLot(r.text);
  return { text: text.length ? text : null, confidence: r.confidence, imageSha256: d.sha256 };
};
