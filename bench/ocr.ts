// OCR ingest benchmark: scans/s for the QR path and the OCR path, each beside a baseline measured in
// the same run, and per variant how many readings were certain-correct / uncertain / certain-wrong.
//   node --import tsx bench/ocr.ts [--quick]
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import jsQRModule from 'jsqr';
import { decodeImage } from '../src/ocr/decodeImage.js';
import { createOcrPool, type OcrPool } from '../src/ocr/ocrPool.js';
import { readCoupon, type CouponReading } from '../src/ocr/readCoupon.js';
import { corpusCases, renderCase, type CorpusCase } from '../test/fixtures/coupons/corpus.js';
import { variants } from '../test/fixtures/coupons/variants.js';

const jsQR = jsQRModule.default;

export type BenchRow = { name: string; figure: number; unit: string; baseline: number | null; ratio: number | null };
type Item = { c: CorpusCase; image: Buffer };
type Outcome = { c: CorpusCase; r: CouponReading };

const perSecond = (n: number, ms: number) => (n * 1000) / ms;
const round = (x: number) => Math.round(x * 100) / 100;
const row = (name: string, figure: number, unit: string, baseline: number | null): BenchRow => ({
  name,
  figure: round(figure),
  unit,
  baseline: baseline === null ? null : round(baseline),
  ratio: baseline ? round(figure / baseline) : null,
});

// Runs `work` over the items with `parallel` in flight; returns results in order and the elapsed ms.
const timed = async <T>(items: Item[], parallel: number, work: (i: Item) => Promise<T>) => {
  const out: T[] = new Array(items.length);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]);
      }
    }),
  );
  return { out, ms: performance.now() - start };
};

// Baseline for the QR path: jsQR alone on the whole decoded image, no region finding.
const jsqrAlone = async ({ image }: Item) => {
  const d = await decodeImage(image);
  const rgba = new Uint8ClampedArray(d.grey.length * 4);
  for (let i = 0, j = 0; i < d.grey.length; i++, j += 4) (rgba[j] = rgba[j + 1] = rgba[j + 2] = d.grey[i]), (rgba[j + 3] = 255);
  return jsQR(rgba, d.width, d.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
};

// Baseline for the OCR path: one tesseract pass on the image as uploaded, no line finding or preprocessing.
const tesseractAlone = (pool: OcrPool) => async ({ image }: Item) =>
  (await pool.recognize({ image, whitelist: '0123456789', rotateAuto: true })).text.replace(/\s+/g, '');

const tally = (outcomes: Outcome[]) => {
  const t = { certainCorrect: 0, review: 0, certainWrong: 0 };
  for (const { c, r } of outcomes) {
    if (!r.certain) t.review++;
    else if (r.line === c.line) t.certainCorrect++;
    else t.certainWrong++;
  }
  return t;
};

export const run = async ({ quick = false }: { quick?: boolean } = {}): Promise<{ rows: BenchRow[]; table: string }> => {
  const perCell = quick ? 1 : 3;
  const render = async (cs: CorpusCase[]) => Promise.all(cs.map(async (c) => ({ c, image: await renderCase(c) })));
  const qrItems = await render(corpusCases({ qr: true, perCell, seed: 11 }));
  const ocrItems = await render(corpusCases({ qr: false, perCell, seed: 11 }));
  const cores = availableParallelism();
  const pool = await createOcrPool({ size: cores });
  try {
    await readCoupon(ocrItems[0].image, pool); // warm every code path once
    const qrBase = await timed(qrItems, cores, jsqrAlone);
    const qr = await timed(qrItems, cores, async (i) => ({ c: i.c, r: await readCoupon(i.image, pool) }));
    const ocrBase = await timed(ocrItems, pool.size, tesseractAlone(pool));
    const ocr = await timed(ocrItems, pool.size * 2, async (i) => ({ c: i.c, r: await readCoupon(i.image, pool) }));
    const all = [...qr.out, ...ocr.out];
    const lines = ['| variant | coupons | certain-correct | uncertain (review) | certain-wrong |', '| --- | --- | --- | --- | --- |'];
    for (const v of variants) {
      const t = tally(all.filter((o) => o.c.variant === v));
      lines.push(`| ${v} | ${all.filter((o) => o.c.variant === v).length} | ${t.certainCorrect} | ${t.review} | ${t.certainWrong} |`);
    }
    const total = tally(all);
    lines.push(`| all | ${all.length} | ${total.certainCorrect} | ${total.review} | ${total.certainWrong} |`);
    const ocrTally = tally(ocr.out);
    const baseCorrect = ocrBase.out.filter((t, i) => t === ocrItems[i].c.line).length;
    const rows = [
      row(`qr path (readCoupon, ${cores} in flight)`, perSecond(qrItems.length, qr.ms), 'scans/s', perSecond(qrItems.length, qrBase.ms)),
      row(`ocr path (readCoupon, ${pool.size} workers)`, perSecond(ocrItems.length, ocr.ms), 'scans/s', perSecond(ocrItems.length, ocrBase.ms)),
      row('ocr path per core', perSecond(ocrItems.length, ocr.ms) / pool.size, 'scans/s/core', perSecond(ocrItems.length, ocrBase.ms) / pool.size),
      row('ocr certain-correct (vs one plain tesseract pass correct)', ocrTally.certainCorrect / ocrItems.length, 'fraction', baseCorrect / ocrItems.length),
      row('certain-wrong, all variants (must be 0)', total.certainWrong, 'scans', null),
    ];
    return { rows, table: lines.join('\n') };
  } finally {
    await pool.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows, table } = await run({ quick: process.argv.includes('--quick') });
  console.log('| measure | figure | unit | baseline | ratio |\n| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.name} | ${r.figure} | ${r.unit} | ${r.baseline ?? '—'} | ${r.ratio ?? '—'} |`);
  console.log(`\nbaselines: QR = jsQR alone on the whole image; OCR = one tesseract pass on the upload as is.\n\n${table}`);
  const wrong = rows.find((r) => r.name.startsWith('certain-wrong'));
  if (wrong && wrong.figure !== 0) process.exitCode = 1;
}
