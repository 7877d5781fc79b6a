import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, SAPPORO, person } from '../support/people.js';
import { makeCoupon } from '../fixtures/coupons/makeCoupon.js';
import { multipartBody, type Part } from '../integration/scans/multipart.js';
import { lineOf, otherCoupon, renderScanCase, scanCases, type ScanCase } from '../integration/scans/scanCorpus.js';

const DATE = '2025-06-02';
const SITE = 'S001';
const OTHER_SITE = 'S002';

type Answer = { scanId: string; status: 'recorded' | 'needs-review'; read: { method: string; line: string | null; municipality: string | null; coupon: string | null; dose: number | null }; reasons?: string[]; ruleCode?: string; recorded?: { recipientStream: string; doseNumber: number }; duplicate?: boolean };

describe('coupon scans over HTTP, on the generated corpus', () => {
  let t: TestApp;
  let site: Record<string, string>;
  let otherSite: Record<string, string>;
  let n = 0;
  const cases = scanCases();
  const results: { c: ScanCase; status: number; body: Answer }[] = [];

  const register = async (municipality: string, coupon: string) => {
    const who = { ...person(++n, municipality), coupon };
    const headers = await t.auth('municipality', { municipality, sub: `clerk-${municipality}` });
    const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers, payload: who });
    expect(r.statusCode).toBe(201);
  };
  const statusOf = async (municipality: string, coupon: string) => {
    const headers = await t.auth('municipality', { municipality, sub: `clerk-${municipality}` });
    return (await t.app.inject({ method: 'GET', url: `/v1/recipients/${municipality}/${coupon}`, headers })).json();
  };
  const upload = (image: Buffer, fields: Record<string, string> = {}, headers = site, extra: Part[] = []) => {
    const body = multipartBody([
      { name: 'date', value: DATE },
      { name: 'maker', value: 'pfizer' },
      { name: 'lot', value: 'FA1234' },
      { name: 'siteCode', value: SITE },
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      { name: 'coupon', file: image, filename: 'coupon.png', contentType: 'image/png' },
      ...extra,
    ].filter((p) => !('value' in p) || p.value !== '') as Part[]);
    return t.app.inject({ method: 'POST', url: '/v1/scans', headers: { ...headers, ...body.headers }, payload: body.payload });
  };
  // Counted in the table, not through readAll: readAll stops below the oldest running transaction (the projection
  // runner's, say), so a count taken through it can miss events that are already committed.
  const countEvents = async () => Number((await t.runtime.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
  const countImages = async () => {
    const root = join(t.dataDir, 'scans');
    const dirs = await readdir(root).catch(() => [] as string[]);
    let count = 0;
    for (const d of dirs) count += (await readdir(join(root, d))).length;
    return count;
  };

  beforeAll(async () => {
    t = await createTestApp();
    site = await t.auth('site', { site: SITE, sub: 'nurse-1' });
    otherSite = await t.auth('site', { site: OTHER_SITE, sub: 'nurse-2' });
    for (const c of cases) {
      await register(c.municipality, c.coupon);
      await register(c.municipality, c.neighbour);
    }
    for (const c of cases) {
      const r = await upload(await renderScanCase(c));
      results.push({ c, status: r.statusCode, body: r.json() });
    }
  }, 180_000);
  afterAll(async () => t?.close());

  it('records every QR coupon, on the right person', async () => {
    const qr = results.filter(({ c }) => c.qr);
    expect(qr.length).toBe(7);
    for (const { c, status, body } of qr) {
      expect({ name: c.name, status, method: body.read.method, line: body.read.line, state: body.status, recorded: body.recorded }).toEqual({
        name: c.name,
        status: 201,
        method: 'qr',
        line: c.line,
        state: 'recorded',
        recorded: { recipientStream: `recipient-${c.municipality}-${c.coupon}`, doseNumber: 1 },
      });
      const s = await statusOf(c.municipality, c.coupon);
      expect(s.doses).toEqual([expect.objectContaining({ doseNumber: 1, date: DATE, siteCode: SITE, source: 'scan', vaccine: { maker: 'pfizer', lot: 'FA1234' } })]);
    }
  });

  it('records no scan on a coupon other than the true one, across every variant', async () => {
    for (const { c, body } of results) {
      if (body.status === 'recorded') expect({ name: c.name, stream: body.recorded?.recipientStream }).toEqual({ name: c.name, stream: `recipient-${c.municipality}-${c.coupon}` });
      const neighbour = await statusOf(c.municipality, c.neighbour);
      expect({ name: c.name, neighbourDoses: neighbour.doses }).toEqual({ name: c.name, neighbourDoses: [] });
      const truth = await statusOf(c.municipality, c.coupon);
      expect(truth.doses.length).toBe(body.status === 'recorded' ? 1 : 0);
    }
    // The OCR path records too (floors per variant are kept by the reader's own tests).
    const ocr = results.filter(({ c }) => !c.qr && !c.harsh);
    expect(ocr.filter(({ body }) => body.status === 'recorded').length).toBeGreaterThanOrEqual(Math.ceil(ocr.length / 2));
  });

  it('sends every misread and every uncertain reading to review, with its reasons, in the site’s queue', async () => {
    // The harsh images (tiny and blurred) are there to make the reader wrong; this build misreads some of them.
    const misreads = results.filter(({ c, body }) => body.read.line !== null && body.read.line !== c.line);
    expect(misreads.length).toBeGreaterThanOrEqual(1);
    const queue = (await t.app.inject({ method: 'GET', url: '/v1/scans/review?limit=500', headers: site })).json();
    const waiting = new Set(queue.items.map((i: { scanId: string }) => i.scanId));
    for (const { c, body } of results) {
      if (body.read.line !== c.line) expect({ name: c.name, status: body.status }).toEqual({ name: c.name, status: 'needs-review' });
      if (body.status === 'needs-review') {
        expect(body.reasons?.length).toBeGreaterThan(0);
        expect(waiting.has(body.scanId)).toBe(true);
      } else expect(waiting.has(body.scanId)).toBe(false);
    }
  });

  it('answers the same photo uploaded twice with the first result and records one dose', async () => {
    const { c, body: first } = results.find(({ c }) => c.qr)!;
    const again = await upload(await renderScanCase(c));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ scanId: first.scanId, status: 'recorded', duplicate: true });
    expect((await statusOf(c.municipality, c.coupon)).doses).toHaveLength(1);
  });

  it('records one dose when the same photo arrives twice at once, and one when two people resolve at once', async () => {
    const c = otherCoupon(30);
    await register(CHIYODA, c);
    const image = await makeCoupon({ line: lineOf(1, CHIYODA, c), layout: 'yokohama', variant: 'noise', qr: true, seed: 30 });
    const both = await Promise.all([upload(image), upload(image)]);
    expect(both.map((r) => r.json().scanId)).toEqual([both[0].json().scanId, both[0].json().scanId]);
    expect(both.map((r) => r.json().status)).toEqual(['recorded', 'recorded']);
    expect((await statusOf(CHIYODA, c)).doses).toHaveLength(1);

    const [a, b] = [otherCoupon(31), otherCoupon(32)];
    await register(CHIYODA, a);
    await register(CHIYODA, b);
    const scan = (await upload(await makeCoupon({ line: lineOf(1, CHIYODA, a), layout: 'osaka', variant: 'clean', qr: true, seed: 31 }), { lot: 'F' })).json();
    expect(scan.status).toBe('needs-review');
    const resolves = await Promise.all(
      [a, b].map((coupon) => t.app.inject({ method: 'POST', url: `/v1/scans/${scan.scanId}/resolve`, headers: site, payload: { line: lineOf(1, CHIYODA, coupon), lot: 'FA1234' } })),
    );
    const doses = (await statusOf(CHIYODA, a)).doses.length + (await statusOf(CHIYODA, b)).doses.length;
    expect(doses).toBe(1);
    expect(resolves.filter((r) => r.statusCode === 200 && r.json().status === 'recorded')).toHaveLength(1);
    for (const r of resolves.filter((r) => r.statusCode !== 200)) expect(r.statusCode).toBe(409);
  });

  it('sends each kind of doubt to review with its reason', async () => {
    const qrImage = (line: string, layout: 'chiyoda' | 'sapporo' = 'chiyoda') => makeCoupon({ line, layout, variant: 'clean', qr: true, seed: 3 });
    const fresh = otherCoupon(1);
    await register(CHIYODA, fresh);

    const unknown = (await upload(await qrImage(lineOf(1, CHIYODA, otherCoupon(2))))).json();
    expect(unknown).toMatchObject({ status: 'needs-review', reasons: ['unknown-coupon'], read: { method: 'qr', municipality: CHIYODA, coupon: otherCoupon(2), dose: 1 } });

    const mismatch = (await upload(await qrImage(lineOf(2, CHIYODA, fresh)))).json();
    expect(mismatch).toMatchObject({ status: 'needs-review', reasons: ['dose-mismatch'] });

    const badLot = (await upload(await qrImage(lineOf(1, CHIYODA, fresh)), { lot: 'F1234' })).json();
    expect(badLot).toMatchObject({ status: 'needs-review', reasons: ['lot-pattern'] });

    const future = (await upload(await qrImage(lineOf(1, CHIYODA, fresh), 'sapporo'), { date: '2099-01-01' })).json();
    expect(future).toMatchObject({ status: 'needs-review', reasons: ['rule-refused'], ruleCode: 'DATE_IN_FUTURE' });

    const erased = otherCoupon(3);
    await register(CHIYODA, erased);
    const admin = await t.auth('admin', { sub: 'admin-1' });
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${erased}/personal-data`, headers: admin, payload: { reason: 'retention' } })).statusCode).toBe(200);
    const notActive = (await upload(await qrImage(lineOf(1, CHIYODA, erased)))).json();
    expect(notActive).toMatchObject({ status: 'needs-review', reasons: ['not-active'] });

    const badCheck = (await upload(await makeCoupon({ line: `11131015${fresh}`, layout: 'chiyoda', variant: 'clean', qr: false }))).json();
    expect(badCheck).toMatchObject({ status: 'needs-review', read: { method: 'ocr' } });
    expect(badCheck.reasons).toContain('check-digit');

    const blank = await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const unreadable = (await upload(blank)).json();
    expect(unreadable).toMatchObject({ status: 'needs-review', reasons: ['unreadable'], read: { method: 'none', line: null } });

    expect((await statusOf(CHIYODA, fresh)).doses).toEqual([]);
  });

  it('refuses a non-image, a truncated JPEG and a 50 MB file with a clear 4xx, writing nothing', async () => {
    const events = await countEvents();
    const images = await countImages();
    const text = await upload(Buffer.from('name,coupon\n山田,0000000001\n'));
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_IMAGE');

    const jpeg = await makeCoupon({ line: cases[0].line, layout: 'chiyoda', variant: 'jpeg40', qr: true, seed: 5 });
    const truncated = await upload(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(truncated.statusCode).toBe(422);
    expect(truncated.json().error.code).toBe('IMAGE_UNREADABLE');

    const huge = Buffer.alloc(50 * 1024 * 1024, 0xff);
    const big = await upload(huge);
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { limitBytes: t.runtime.config.VRS_SCAN_MAX_BYTES } });
    expect(big.json().error.message).toContain(String(t.runtime.config.VRS_SCAN_MAX_BYTES));

    expect(await countEvents()).toBe(events);
    expect(await countImages()).toBe(images);
  });

  it('answers a malformed upload with a 4xx naming the problem', async () => {
    const image = await makeCoupon({ line: lineOf(1, SAPPORO, otherCoupon(8)), layout: 'sapporo', variant: 'clean', qr: true });
    const stray = await upload(image, {}, site, [{ name: 'photo', file: image }]);
    expect(stray.statusCode).toBe(400);
    const noCoupon = multipartBody([{ name: 'date', value: DATE }, { name: 'maker', value: 'pfizer' }, { name: 'siteCode', value: SITE }]);
    const missing = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: { ...site, ...noCoupon.headers }, payload: noCoupon.payload });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('coupon');
    const badMaker = await upload(image, { maker: 'sinovac' });
    expect(badMaker.statusCode).toBe(400);
    const body = multipartBody([{ name: 'coupon', file: image }]);
    const cut = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: { ...site, ...body.headers }, payload: body.payload.subarray(0, body.payload.length - 60) });
    expect(cut.statusCode).toBe(400);
    const json = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: site, payload: { date: DATE } });
    expect(json.statusCode).toBe(415);
  });

  it('refuses an upload for another site’s code and a caller that is not a site', async () => {
    const image = await makeCoupon({ line: lineOf(1, SAPPORO, otherCoupon(9)), layout: 'sapporo', variant: 'clean', qr: true });
    expect((await upload(image, { siteCode: OTHER_SITE })).statusCode).toBe(403);
    const clerk = await t.auth('municipality', { municipality: CHIYODA });
    expect((await upload(image, {}, clerk)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/scans', payload: {} })).statusCode).toBe(401);
  });

  it('resolves a scan with the line and lot a person typed, by the same rules, and only at its own site', async () => {
    const c = otherCoupon(20);
    await register(SAPPORO, c);
    const line = lineOf(1, SAPPORO, c);
    const scan = (await upload(await makeCoupon({ line, layout: 'sapporo', variant: 'clean', qr: true, seed: 9 }), { lot: 'bad lot' })).json();
    expect(scan).toMatchObject({ status: 'needs-review', reasons: ['lot-pattern'] });

    // Another site neither sees nor resolves it.
    const theirs = (await t.app.inject({ method: 'GET', url: '/v1/scans/review', headers: otherSite })).json();
    expect(theirs.items.map((i: { scanId: string }) => i.scanId)).not.toContain(scan.scanId);
    expect((await t.app.inject({ method: 'POST', url: `/v1/scans/${scan.scanId}/resolve`, headers: otherSite, payload: { line, lot: 'FA1234' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/v1/scans/${scan.scanId}`, headers: otherSite })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/v1/scans/${scan.scanId}/image`, headers: otherSite })).statusCode).toBe(404);

    const resolve = (payload: object) => t.app.inject({ method: 'POST', url: `/v1/scans/${scan.scanId}/resolve`, headers: site, payload });
    // A typed line that names nobody registered stays in review.
    const wrong = await resolve({ line: lineOf(1, SAPPORO, otherCoupon(21)), lot: 'FA1234' });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.json()).toMatchObject({ status: 'needs-review', reasons: ['unknown-coupon'], read: { method: 'typed' } });
    expect((await resolve({ line: 'not a line' })).statusCode).toBe(400);

    const typed = `${line.slice(0, 8)} ${line.slice(8)}`.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))); // full-width, as typed on a phone
    const ok = await resolve({ line: typed, lot: 'fa 1234' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ scanId: scan.scanId, status: 'recorded', read: { method: 'typed', line, coupon: c }, recorded: { recipientStream: `recipient-${SAPPORO}-${c}`, doseNumber: 1 } });
    expect((await statusOf(SAPPORO, c)).doses).toEqual([expect.objectContaining({ doseNumber: 1, source: 'scan', vaccine: { maker: 'pfizer', lot: 'FA1234' } })]);

    // Resolved: out of the queue; the same line again is the same answer; another line is refused.
    const mine = (await t.app.inject({ method: 'GET', url: '/v1/scans/review', headers: site })).json();
    expect(mine.items.map((i: { scanId: string }) => i.scanId)).not.toContain(scan.scanId);
    expect((await resolve({ line })).json()).toMatchObject({ status: 'recorded', duplicate: true });
    const other = await resolve({ line: lineOf(1, SAPPORO, otherCoupon(21)) });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('SCAN_ALREADY_RECORDED');
    expect((await statusOf(SAPPORO, c)).doses).toHaveLength(1);

    // The scan stream tells the story.
    const types: string[] = [];
    for await (const e of t.runtime.store.readStream(`scan-${scan.scanId}`)) types.push(e.type);
    expect(types).toEqual(['CouponScanned', 'ScanNeedsReview', 'ScanResolved', 'ScanNeedsReview', 'ScanResolved', 'ScanAccepted']);
    const image = await t.app.inject({ method: 'GET', url: `/v1/scans/${scan.scanId}/image`, headers: site });
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });

  it('documents the scan endpoints in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/scans', '/v1/scans/review', '/v1/scans/{id}/resolve']));
  });

  it('keeps coupon lines and personal data out of the logs', () => {
    const all = t.logs.join('');
    for (const { c } of results) expect(all).not.toContain(c.line);
    expect(all).not.toContain('接種 太郎');
  });
});
