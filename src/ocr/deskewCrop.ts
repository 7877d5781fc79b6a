import type { DecodedImage } from './decodeImage.js';
import type { OcrRect } from './ocrPool.js';

export type GreyRaster = { data: Buffer; width: number; height: number };

/** The rectangle's content turned by −angle degrees about its centre and scaled, sampled bilinearly
 *  (white outside the image). Done in JS because sharp applies rotate before extract in one pipeline. */
export const deskewCrop = (image: DecodedImage, rect: OcrRect, angleDeg: number, scale: number): GreyRaster => {
  const width = Math.max(1, Math.round(rect.width * scale)), height = Math.max(1, Math.round(rect.height * scale));
  const a = (angleDeg * Math.PI) / 180, cos = Math.cos(a), sin = Math.sin(a);
  const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
  const { grey, width: w, height: h } = image;
  const px = (x: number, y: number) => (x < 0 || y < 0 || x >= w || y >= h ? 255 : grey[y * w + x]);
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const u = (x - width / 2) / scale, v = (y - height / 2) / scale;
      const sx = cx + u * cos - v * sin, sy = cy + u * sin + v * cos;
      const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
      const top = px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx;
      const bottom = px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx;
      data[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  return { data, width, height };
};
