import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { standardCallers } from '../../support/callers.js';
import { CHIYODA, YOKOHAMA, person } from '../../support/people.js';
import { postScan } from '../../integration/scans/multipart.js';
import { COUPON_BOX, MM } from '../../../src/documents/index.js';
import { pdfText, recordDose } from './support.js';

const DPI = 300;
const px = (pt: number) => Math.round((pt * DPI) / 72);

/** The coupon cut from the sheet, as a phone would photograph it: tilted, soft, smaller, JPEG. */
const photographCoupon = async (pdf: Buffer, page: number, hideQr: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-sheet-'));
  try {
    writeFileSync(join(dir, 'sheet.pdf'), pdf);
    // poppler renders the page (not our code); the crop is the coupon with a little of the sheet around it.
    const margin = px(3 * MM);
    const [x, y, w, h] = [px(COUPON_BOX.x) - margin, px(COUPON_BOX.y) - margin, px(COUPON_BOX.w) + 2 * margin, px(COUPON_BOX.h) + 2 * margin];
    execFileSync('pdftoppm', ['-r', String(DPI), '-f', String(page), '-l', String(page), '-singlefile', '-png', '-x', String(x), '-y', String(y), '-W', String(w), '-H', String(h), join(dir, 'sheet.pdf'), join(dir, 'coupon')]);
    let image = sharp(readFileSync(join(dir, 'coupon.png')));
    if (hideQr) {
      // A thumb over the QR code: the reader must fall back to the OCR line.
      const qr = { left: px(COUPON_BOX.w - 23 * MM) + margin, top: px(2 * MM) + margin, size: px(21 * MM) };
      const patch = await sharp({ create: { width: qr.size, height: qr.size, channels: 3, background: '#f4efe6' } }).png().toBuffer();
      image = sharp(await image.composite([{ input: patch, left: qr.left, top: qr.top }]).png().toBuffer());
    }
    return image
      .rotate(1.5, { background: '#ffffff' })
      .resize({ width: Math.round(w * 0.8) })
      .blur(0.7)
      .modulate({ brightness: 0.95 })
      .jpeg({ quality: 60 })
      .toBuffer();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('coupon batches: select, issue, print, and the sheet scans back onto the right person', () => {
  let t: TestApp;
  let callers: Awaited<ReturnType<typeof standardCallers>>;
  const due = [person(21), person(22)];
  const given = person(23); // has dose 1 already: not due for a dose-1 coupon
  const child = { ...person(24), birthDate: '2015-04-01' }; // under the age band
  const elsewhere = person(25, YOKOHAMA);
  let batchId = '';
  let pdf: Buffer = Buffer.alloc(0);

  const registerAs = async (p: ReturnType<typeof person>) => {
    const headers = await t.auth('municipality', { municipality: p.municipality, sub: `clerk-${p.municipality}` });
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers, payload: p })).statusCode).toBe(201);
  };
  const waitDone = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const r = await t.app.inject({ method: 'GET', url: `/v1/coupons/batches/${id}`, headers: callers.chiyoda });
      if (r.json().status !== 'selecting') return r.json();
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('batch did not finish');
  };
  const newBatch = async (criteria: object, headers = callers.chiyoda, extra: object = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/coupons/batches', headers, payload: { criteria, ...extra } });
  const counts = async () => (await t.runtime.pool.query('SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM coupon_batches) AS b')).rows[0];
  const historyOf = async (coupon: string) =>
    (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon}/history`, headers: callers.chiyoda })).json().events as { type: string; data: Record<string, unknown>; actor: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await createTestApp();
    callers = await standardCallers(t);
    for (const p of [...due, given, child, elsewhere]) await registerAs(p);
    await recordDose(t, CHIYODA, given.coupon, 1, '2021-06-01', 'pfizer', 'FA1234');
    const r = await newBatch({ doseNumber: 1, eligibleBy: '2025-06-01', minAge: 18 });
    expect(r.statusCode).toBe(202);
    batchId = r.json().batchId;
  }, 60_000);
  afterAll(async () => t?.close());

  it('chooses by dose number, eligibility and age band, in the caller’s municipality only; progress is visible', async () => {
    const done = await waitDone(batchId);
    expect(done).toMatchObject({ batchId, municipality: CHIYODA, status: 'done', issued: 2, scanned: 4, criteria: { doseNumber: 1, minAge: 18 } });
    const list = await t.app.inject({ method: 'GET', url: `/v1/coupons/batches/${batchId}/due`, headers: callers.chiyoda });
    expect(list.json().items).toEqual(
      due.map((p) => ({ municipality: CHIYODA, coupon: p.coupon, doseNumber: 1, eligibleFrom: '1972-04-01', line: `11${CHIYODA}${p.coupon}`, name: p.name, nameKana: p.nameKana, address: p.address })),
    );
    const csv = await t.app.inject({ method: 'GET', url: `/v1/coupons/batches/${batchId}/due`, headers: { ...callers.chiyoda, accept: 'text/csv' } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('市町村コード,券番号,接種回数,接種可能日,OCRライン,氏名,氏名カナ,住所');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(due.map((p) => p.coupon));
  });

  it('each coupon issued is a CouponIssued event (who, batch, dose); a reprint is a second recorded issue', async () => {
    const issued = (await historyOf(due[0].coupon)).filter((e) => e.type === 'CouponIssued');
    expect(issued).toEqual([expect.objectContaining({ data: { doseNumber: 1, batchId, line: `11${CHIYODA}${due[0].coupon}` }, actor: expect.objectContaining({ role: 'municipality', sub: 'clerk-chiyoda' }) })]);
    expect((await historyOf(given.coupon)).filter((e) => e.type === 'CouponIssued')).toEqual([]);
    const reprint = await newBatch({ doseNumber: 1, coupons: [due[0].coupon] });
    expect(await waitDone(reprint.json().batchId)).toMatchObject({ status: 'done', issued: 1 });
    expect((await historyOf(due[0].coupon)).filter((e) => e.type === 'CouponIssued').map((e) => e.data.batchId)).toEqual([batchId, reprint.json().batchId]);
  });

  it('prints one sheet per recipient: name, address, the 18-digit line in OCR-B, the QR, the 予診票', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/v1/coupons/batches/${batchId}/pdf`, headers: callers.chiyoda });
    expect(r.statusCode).toBe(200);
    pdf = r.rawPayload;
    const pages = pdfText(pdf).split('\f').filter((p) => p.trim());
    expect(pages.length).toBe(2);
    due.forEach((p, i) => {
      for (const s of [p.name, p.address, `11${CHIYODA}${p.coupon}`, '予診票', '接種券']) expect(pages[i]).toContain(s);
    });
    const fonts = execFileSync('pdffonts', ['-'], { input: pdf, encoding: 'utf8' });
    expect(fonts).toMatch(/OCRB/);
  });

  it('the loop closes: a photo of the sheet posted to /v1/scans records the dose on the right person, by QR and by the OCR line', async () => {
    const site = callers.site;
    const scan = (image: Buffer) => postScan(t.app, site, image, { date: '2025-06-02', type: 'jpeg' });
    const byQr = await scan(await photographCoupon(pdf, 1, false));
    expect(byQr.json()).toMatchObject({ status: 'recorded', read: { method: 'qr', line: `11${CHIYODA}${due[0].coupon}` }, recorded: { recipientStream: `recipient-${CHIYODA}-${due[0].coupon}`, doseNumber: 1 } });
    const byOcr = await scan(await photographCoupon(pdf, 2, true));
    expect(byOcr.json()).toMatchObject({ status: 'recorded', read: { method: 'ocr', line: `11${CHIYODA}${due[1].coupon}` }, recorded: { recipientStream: `recipient-${CHIYODA}-${due[1].coupon}`, doseNumber: 1 } });
    for (const p of due) {
      const s = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}`, headers: callers.chiyoda })).json();
      expect(s.doses).toEqual([expect.objectContaining({ doseNumber: 1, date: '2025-06-02', source: 'scan' })]);
    }
  }, 120_000);

  it('attacks: another municipality, a site, the ministry get 403 on batches; a batch for another municipality is refused; nothing written', async () => {
    const before = await counts();
    for (const headers of [callers.yokohama, callers.site, callers.ministry, callers.auditor]) {
      for (const suffix of ['', '/due', '/pdf']) {
        const r = await t.app.inject({ method: 'GET', url: `/v1/coupons/batches/${batchId}${suffix}`, headers });
        expect({ suffix, status: r.statusCode }).toEqual({ suffix, status: 403 });
      }
    }
    for (const headers of [callers.site, callers.ministry, callers.admin]) expect((await newBatch({ doseNumber: 1 }, headers)).statusCode).toBe(403);
    expect((await newBatch({ doseNumber: 1 }, callers.chiyoda, { municipality: YOKOHAMA })).statusCode).toBe(403);
    for (const criteria of [{}, { doseNumber: 0 }, { doseNumber: 1, eligibleBy: '2025-02-30' }, { doseNumber: 1, minAge: 70, maxAge: 60 }, { doseNumber: 1, coupons: ['12'] }, { doseNumber: 1, extra: true }]) {
      const r = await newBatch(criteria);
      expect({ criteria, status: r.statusCode }).toEqual({ criteria, status: 400 });
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/coupons/batches/not-a-uuid', headers: callers.chiyoda })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/coupons/batches/00000000-0000-4000-8000-000000000000', headers: callers.chiyoda })).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
