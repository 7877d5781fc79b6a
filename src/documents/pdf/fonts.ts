import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { woffToSfnt } from './woffToSfnt.js';

const require = createRequire(import.meta.url);
const notoDir = join(dirname(require.resolve('@fontsource/noto-sans-jp/LICENSE')), 'files');

/**
 * Noto Sans JP (SIL OFL) from npm, so the server prints Japanese after `npm ci` alone. The "japanese" subset
 * (about 7,400 glyphs: JIS level 1 and 2 kanji, kana, Latin) covers names as registered; pdfkit embeds only the
 * glyphs a page uses.
 */
const files = {
  regular: join(notoDir, 'noto-sans-jp-japanese-400-normal.woff'),
  bold: join(notoDir, 'noto-sans-jp-japanese-700-normal.woff'),
} as const;

const unwrapped = new Map<keyof typeof files, Buffer>();

/** The font's bytes, unwrapped once per process (see woffToSfnt). */
export const fontBytes = (weight: keyof typeof files): Buffer => {
  let bytes = unwrapped.get(weight);
  if (!bytes) unwrapped.set(weight, (bytes = woffToSfnt(readFileSync(files[weight]))));
  return bytes;
};

/** OCR-B (public domain, Debian fonts-ocr-b): the coupon's 18-digit line, in the font src/ocr is tuned to. */
export const ocrbFont = join(dirname(fileURLToPath(import.meta.url)), 'fonts', 'OCRB.otf');
