import { describe, expect, it } from '@jest/globals';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { decodeImage } from '../../../src/ocr/decodeImage.js';
import { ImageError } from '../../../src/ocr/errors.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImageError);
    return (e as ImageError).code;
  }
  throw new Error('expected the image to be rejected');
};

// A valid 1×1 PNG whose header then claims the given size (decoders read the header first).
const pngClaiming = async (width: number, height: number) => {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
};

describe('decodeImage', () => {
  it('decodes a coupon PNG and JPEG to an upright greyscale copy with its digest', async () => {
    const png = await makeCoupon({ line: '111310160000000001', layout: 'chiyoda', variant: 'clean', qr: false });
    const d = await decodeImage(png);
    expect(d).toMatchObject({ format: 'png', width: 1000, height: 600 });
    expect(d.grey.length).toBe(1000 * 600);
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    const jpeg = await sharp(png).jpeg().toBuffer();
    expect((await decodeImage(jpeg)).format).toBe('jpeg');
    const webp = await sharp(png).webp().toBuffer();
    expect((await decodeImage(webp)).format).toBe('webp');
  });

  it('rejects what is not an image, or an image format we do not take, as UNSUPPORTED_IMAGE', async () => {
    expect(await codeOf(decodeImage(Buffer.from('%PDF-1.7 not a photo')))).toBe('UNSUPPORTED_IMAGE');
    expect(await codeOf(decodeImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBe('UNSUPPORTED_IMAGE');
    expect(await codeOf(decodeImage(Buffer.alloc(0)))).toBe('UNSUPPORTED_IMAGE');
    const tiff = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).tiff().toBuffer();
    expect(await codeOf(decodeImage(tiff))).toBe('UNSUPPORTED_IMAGE');
  });

  it('rejects a truncated JPEG as IMAGE_UNREADABLE', async () => {
    const png = await makeCoupon({ line: '111310160000000001', layout: 'osaka', variant: 'clean', qr: true });
    const jpeg = await sharp(png).jpeg({ quality: 80 }).toBuffer();
    expect(await codeOf(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2))))).toBe('IMAGE_UNREADABLE');
  });

  it('rejects an oversized image as IMAGE_TOO_LARGE without decoding its pixels', async () => {
    expect(await codeOf(decodeImage(await pngClaiming(100_000, 100_000)))).toBe('IMAGE_TOO_LARGE');
    const big = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await codeOf(decodeImage(big, { maxPixels: 1_000_000 }))).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(decodeImage(big, { maxBytes: 100 }))).toBe('IMAGE_TOO_LARGE');
  });
});
