import jsQRModule from 'jsqr';

// jsqr is CommonJS whose typings declare an ES default export; its module.exports carries .default too.
const jsQR = jsQRModule.default;
import sharp, { type Sharp } from 'sharp';
import type { DecodedImage } from './decodeImage.js';
import { findQrRegions, type Region } from './findQrRegion.js';

type Grey = { grey: Buffer; width: number; height: number };

const scan = ({ grey, width, height }: Grey): string | null => {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    rgba[j] = rgba[j + 1] = rgba[j + 2] = grey[i];
    rgba[j + 3] = 255;
  }
  return jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
};

const transform = async (image: DecodedImage, f: (s: Sharp) => Sharp): Promise<Grey> => {
  const { data, info } = await f(sharp(image.grey, { raw: { width: image.width, height: image.height, channels: 1 } }))
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { grey: data, width: info.width, height: info.height };
};

// Crops are scaled to ~8 px per module for a version-1/2 code: jsQR is fast and sure at that size.
const crop = (image: DecodedImage, r: Region, denoise: boolean) =>
  transform(image, (s) => (denoise ? s.extract(r).median(3) : s.extract(r)).resize({ width: 300, height: 300, fit: 'inside' }).normalise());

// Measured on the corpus: windows over a QR code are 0.47–0.60 ink, over text at most 0.42 (blurred).
const qrLikeDensity = 0.44;

/** The QR code's text, or null. Likely squares first (fast); only when a square looks like a code
 *  do the slower tries follow: the whole image, then a rescaled, median-filtered, contrast-stretched
 *  copy (noise, low contrast, blur). A coupon without a code costs a few milliseconds. */
export const readQr = async (image: DecodedImage): Promise<string | null> => {
  const regions = findQrRegions(image).filter((r) => r.density >= qrLikeDensity);
  if (regions.length === 0) return null;
  for (const denoise of [false, true])
    for (const region of regions) {
      const text = scan(await crop(image, region, denoise));
      if (text !== null) return text;
    }
  const direct = scan(image);
  if (direct !== null) return direct;
  const width = Math.max(600, Math.min(1000, Math.round(image.width * 0.8)));
  return scan(await transform(image, (s) => s.median(3).resize({ width }).normalise()));
};
