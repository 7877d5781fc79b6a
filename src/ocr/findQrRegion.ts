import type { DecodedImage } from './decodeImage.js';
import { otsuThreshold } from './otsu.js';

export type Region = { left: number; top: number; width: number; height: number };
export type QrRegion = Region & { density: number };

const cell = 4; // ink is counted per 4×4 block: the search runs on 1/16 of the pixels

// A QR code is the one square on a coupon that is about half ink; text and rules are far sparser.
// Finding it with an integral image lets jsQR work on a small crop instead of the whole photo.
export const findQrRegions = (image: DecodedImage, max = 2): QrRegion[] => {
  const { grey, width: w, height: h } = image;
  const t = otsuThreshold(grey);
  const bw = Math.floor(w / cell), bh = Math.floor(h / cell);
  const integral = new Uint32Array((bw + 1) * (bh + 1));
  const rowInk = new Uint32Array(bw);
  for (let by = 0; by < bh; by++) {
    rowInk.fill(0);
    for (let y = by * cell; y < (by + 1) * cell; y++) {
      const base = y * w;
      for (let x = 0; x < bw * cell; x++) if (grey[base + x] < t) rowInk[(x / cell) | 0]++;
    }
    let run = 0;
    for (let bx = 0; bx < bw; bx++) {
      run += rowInk[bx];
      integral[(by + 1) * (bw + 1) + bx + 1] = integral[by * (bw + 1) + bx + 1] + run;
    }
  }
  const ink = (x: number, y: number, s: number) =>
    integral[(y + s) * (bw + 1) + x + s] - integral[y * (bw + 1) + x + s] - integral[(y + s) * (bw + 1) + x] + integral[y * (bw + 1) + x];
  const found: { r: Region; score: number }[] = [];
  const short = Math.min(bw, bh);
  for (const frac of [0.2, 0.28, 0.36]) {
    const s = Math.round(short * frac);
    if (s < 4) continue;
    const step = Math.max(1, Math.round(s / 8));
    for (let y = 0; y + s <= bh; y += step)
      for (let x = 0; x + s <= bw; x += step) {
        const d = ink(x, y, s) / (s * s * cell * cell);
        if (d > 0.2 && d <= 0.6) found.push({ r: { left: x * cell, top: y * cell, width: s * cell, height: s * cell }, score: d }); // > 0.6: a thumb or shadow
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
