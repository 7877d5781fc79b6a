import type { DecodedImage } from './decodeImage.js';
import { otsuThreshold } from './otsu.js';

export type Region = { left: number; top: number; width: number; height: number };
export type QrRegion = Region & { density: number };

// A QR code is the one square on a coupon that is about half ink; text and rules are far sparser.
// Finding it with an integral image lets jsQR work on a small crop instead of the whole photo.
export const findQrRegions = (image: DecodedImage, max = 2): QrRegion[] => {
  const { grey, width: w, height: h } = image;
  const t = otsuThreshold(grey);
  const integral = new Uint32Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += grey[y * w + x] < t ? 1 : 0;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
    }
  }
  const ink = (x: number, y: number, s: number) =>
    integral[(y + s) * (w + 1) + x + s] - integral[y * (w + 1) + x + s] - integral[(y + s) * (w + 1) + x] + integral[y * (w + 1) + x];
  const found: { r: Region; score: number }[] = [];
  const short = Math.min(w, h);
  for (const frac of [0.2, 0.28, 0.36]) {
    const s = Math.round(short * frac);
    const step = Math.max(2, Math.round(s / 8));
    for (let y = 0; y + s <= h; y += step)
      for (let x = 0; x + s <= w; x += step) {
        const d = ink(x, y, s) / (s * s);
        const score = d > 0.6 ? 0 : d; // a solid blob (a thumb, a shadow) is not a code
        if (score > 0.2) found.push({ r: { left: x, top: y, width: s, height: s }, score });
      }
  }
  found.sort((a, b) => b.score - a.score);
  const picked: QrRegion[] = [];
  for (const f of found) {
    if (picked.some((p) => overlaps(p, f.r))) continue;
    picked.push({ ...f.r, density: f.score });
    if (picked.length === max) break;
  }
  return picked.map((r) => ({ ...grow(r, 0.25, w, h), density: r.density }));
};

const overlaps = (a: Region, b: Region) =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

const grow = (r: Region, by: number, w: number, h: number): Region => {
  const m = Math.round(r.width * by);
  const left = Math.max(0, r.left - m), top = Math.max(0, r.top - m);
  return { left, top, width: Math.min(w, r.left + r.width + m) - left, height: Math.min(h, r.top + r.height + m) - top };
};
