import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { ImageError } from './errors.js';
import { sniffFormat, type ImageFormat } from './sniffFormat.js';

/** A decoded, upright, greyscale working copy of an upload. */
export type DecodedImage = {
  format: ImageFormat;
  sha256: string;
  width: number;
  height: number;
  grey: Buffer; // one byte per pixel, row-major
};

export type DecodeLimits = { maxBytes?: number; maxPixels?: number; maxSide?: number };

export const defaultDecodeLimits = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000, maxSide: 2400 };

export const imageSha256 = (image: Buffer): string => createHash('sha256').update(image).digest('hex');

export const decodeImage = async (image: Buffer, limits: DecodeLimits = {}): Promise<DecodedImage> => {
  const { maxBytes, maxPixels, maxSide } = { ...defaultDecodeLimits, ...limits };
  if (image.length > maxBytes) throw new ImageError('IMAGE_TOO_LARGE', `image is ${image.length} bytes, over the ${maxBytes}-byte limit`);
  const format = sniffFormat(image);
  if (!format) throw new ImageError('UNSUPPORTED_IMAGE', 'not a PNG, JPEG, WebP or HEIC image');
  const input = () => sharp(image, { limitInputPixels: maxPixels, failOn: 'truncated' });
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (e) {
    if (e instanceof Error && /pixel limit/i.test(e.message)) throw new ImageError('IMAGE_TOO_LARGE', 'image is over the pixel limit');
    throw unreadable(format);
  }
  if (!meta.width || !meta.height) throw unreadable(format);
  if (meta.width * meta.height > maxPixels)
    throw new ImageError('IMAGE_TOO_LARGE', `image is ${meta.width}×${meta.height} pixels, over the ${maxPixels}-pixel limit`);
  try {
    const { data, info } = await input()
      .rotate() // EXIF orientation from phone cameras
      .flatten({ background: '#ffffff' })
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { format, sha256: imageSha256(image), width: info.width, height: info.height, grey: data };
  } catch (e) {
    if (e instanceof Error && /pixel limit/i.test(e.message)) throw new ImageError('IMAGE_TOO_LARGE', 'image is over the pixel limit');
    throw unreadable(format);
  }
};

// HEVC-coded HEIC is not in sharp's prebuilt libvips (patents), so such a photo is "unsupported"
// rather than "broken".
const unreadable = (format: ImageFormat) =>
  format === 'heic'
    ? new ImageError('UNSUPPORTED_IMAGE', 'HEIC (HEVC) images cannot be decoded by this build; send JPEG or PNG')
    : new ImageError('IMAGE_UNREADABLE', `the ${format.toUpperCase()} data is truncated or corrupt`);
