import { connectedComponents, type Blob } from './components.js';
import type { DecodedImage } from './decodeImage.js';
import { otsuThreshold } from './otsu.js';

/** Where an 18-character OCR-B line probably is: its padded box, tilt and character height. */
export type LineCandidate = {
  rect: { left: number; top: number; width: number; height: number };
  angle: number; // degrees, positive = the line rises to the right... as sharp.rotate would undo with -angle
  charHeight: number;
  score: number; // lower is better
};

const height = (b: Blob) => b.bottom - b.top + 1;
const width = (b: Blob) => b.right - b.left + 1;
const cy = (b: Blob) => (b.top + b.bottom) / 2;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// OCR-B digits advance about one digit height, so 18 of them span ~17.6 heights; Japanese labels
// (or tofu boxes) hold smaller blobs inside each glyph, and QR modules are square and uneven.
const expectedSpan = 17.6;

const chains = (blobs: Blob[]): Blob[][] => {
  const sorted = [...blobs].sort((a, b) => a.left - b.left);
  const next = new Map<Blob, Blob>();
  const hasPrev = new Set<Blob>();
  for (const a of sorted) {
    const h = height(a);
    let best: Blob | undefined;
    for (const b of sorted) {
      if (b.left <= a.right - h * 0.2 || b.left - a.right > h * 0.9 || hasPrev.has(b)) continue;
      if (Math.abs(cy(b) - cy(a)) > h * 0.35 || height(b) / h < 0.75 || height(b) / h > 1.33) continue;
      if (!best || b.left < best.left) best = b;
    }
    if (best) {
      next.set(a, best);
      hasPrev.add(best);
    }
  }
  return sorted
    .filter((b) => !hasPrev.has(b))
    .map((start) => {
      const chain = [start];
      for (let b = next.get(start); b; b = next.get(b)) chain.push(b);
      return chain;
    });
};

// Slope of the character centres, by least squares, in degrees.
const tilt = (chain: Blob[]): number => {
  const xs = chain.map((b) => (b.left + b.right) / 2), ys = chain.map(cy);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length, my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let num = 0, den = 0;
  xs.forEach((x, i) => ((num += (x - mx) * (ys[i] - my)), (den += (x - mx) ** 2)));
  return den === 0 ? 0 : (Math.atan(num / den) * 180) / Math.PI;
};

export const findLineCandidates = (image: DecodedImage, max = 3): LineCandidate[] => {
  const { grey, width: w, height: h } = image;
  const t = otsuThreshold(grey);
  const ink = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) ink[i] = grey[i] < t ? 1 : 0;
  const all = connectedComponents(ink, w, h);
  const minH = Math.max(7, h * 0.015), maxH = h * 0.2;
  const glyphs = all.filter((b) => height(b) >= minH && height(b) <= maxH && width(b) <= height(b) * 2.6 && width(b) >= 2);
  const found: LineCandidate[] = [];
  for (const chain of chains(glyphs)) {
    if (chain.length < 8) continue;
    const ch = median(chain.map(height));
    const left = chain[0].left, right = chain[chain.length - 1].right;
    const top = Math.min(...chain.map((b) => b.top)), bottom = Math.max(...chain.map((b) => b.bottom));
    const span = (right - left) / ch;
    const members = new Set(chain);
    const inside = all.filter(
      (b) => !members.has(b) && b.pixels > 3 && b.left >= left && b.right <= right && b.top >= top && b.bottom <= bottom,
    ).length;
    const score = Math.abs(span - expectedSpan) / expectedSpan + inside / chain.length + Math.abs(chain.length - 18) / 36;
    if (score > 0.6) continue;
    const pad = Math.round(ch * 0.6);
    const rl = Math.max(0, left - pad), rt = Math.max(0, top - pad);
    found.push({
      rect: { left: rl, top: rt, width: Math.min(w, right + pad + 1) - rl, height: Math.min(h, bottom + pad + 1) - rt },
      angle: tilt(chain),
      charHeight: ch,
      score,
    });
  }
  return found.sort((a, b) => a.score - b.score).slice(0, max);
};
