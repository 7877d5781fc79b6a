import jsQRModule from 'jsqr';

// jsqr is CommonJS whose typings declare an ES default export; its module.exports carries .default too.
const jsQR = jsQRModule.default;
import sharp, { type Sharp } from 'sharp';
import type { DecodedImage } from './decodeImage.js';
import { deskewCrop } from './deskewCrop.js';
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

// Contrast stretch between the 1st and 99th percentile, in place.
const stretch = (g: Buffer): Buffer => {
  const hist = new Uint32Array(256);
  for (let i = 0; i < g.length; i++) hist[g[i]]++;
  let lo = 0, hi = 255, acc = 0;
  for (; lo < 255 && (acc += hist[lo]) < g.length * 0.01; lo++);
  acc = 0;
  for (; hi > 0 && (acc += hist[hi]) < g.length * 0.01; hi--);
  if (hi <= lo) return g;
  for (let i = 0; i < g.length; i++) g[i] = Math.max(0, Math.min(255, Math.round(((g[i] - lo) * 255) / (hi - lo))));
  return g;
};

// Crops are scaled to ~240 px (~6 px per module for a version-1/2 code with its quiet zone): jsQR is
// fast and sure at that size. Plain crops are cut in JS (a sharp round trip costs more than jsQR here);
// the denoised retry uses sharp's median filter.
const cropSide = 240;
const crop = async (image: DecodedImage, r: Region, denoise: boolean): Promise<Grey> => {
  if (denoise)
    return transform(image, (s) => s.extract(r).median(3).resize({ width: cropSide, height: cropSide, fit: 'inside' }).normalise());
  const scale = Math.min(1, cropSide / Math.max(r.width, r.height));
  const c = deskewCrop(image, r, 0, scale);
  return { grey: stretch(c.data), width: c.width, height: c.height };
};

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
