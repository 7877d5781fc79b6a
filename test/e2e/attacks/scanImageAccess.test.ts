import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { SAPPORO, person } from '../../support/people.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';
import { postScan } from '../../integration/scans/multipart.js';
import { lineOf, otherCoupon } from '../../integration/scans/scanCorpus.js';

/**
 * A site that downloads coupon photos (a person's coupon, often with name and address) must leave a trace an
 * auditor can find, like every other read of a person: under the scan, and under the recipient it names.
 */
describe('attack: reading coupon photos without a trace in the access log', () => {
  let t: TestApp;
  let site: Record<string, string>;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    site = await t.auth('site', { site: 'S001', sub: 'nurse-peeking' });
    auditor = await t.auth('auditor', { sub: 'auditor-1' });
  });
  afterAll(async () => t?.close());

  const register = async (c: string) => {
    const headers = await t.auth('municipality', { municipality: SAPPORO, sub: 'clerk-sapporo' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers, payload: { ...person(Number(c), SAPPORO), coupon: c } })).statusCode).toBe(201);
  };
  const upload = async (image: Buffer, lot: string) => {
    const res = await postScan(t.app, site, image, { date: '2025-06-02', lot });
    expect([200, 201]).toContain(res.statusCode);
    return res.json() as { scanId: string; status: string };
  };
  const accessTo = async (record: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/audit/access?record=${encodeURIComponent(record)}`, headers: auditor });
    expect(res.statusCode).toBe(200);
    return (res.json() as { entries: { actor: { sub: string; role: string; site?: string }; record: string; endpoint: string }[] }).entries;
  };
  const getImage = (scanId: string, headers = site) => t.app.inject({ method: 'GET', url: `/v1/scans/${scanId}/image`, headers });

  it('a recorded scan: the image read is logged under the scan and the recipient it was recorded on', async () => {
    const c = otherCoupon(41);
    await register(c);
    const scan = await upload(await makeCoupon({ line: lineOf(1, SAPPORO, c), layout: 'sapporo', variant: 'clean', qr: true, seed: 41 }), 'FA1234');
    expect(scan.status).toBe('recorded');
    expect(await accessTo(`scan-${scan.scanId}`)).toEqual([]);

    expect((await getImage(scan.scanId)).statusCode).toBe(200);
    const entry = { actor: expect.objectContaining({ role: 'site', site: 'S001', sub: 'nurse-peeking' }), endpoint: 'GET /v1/scans/{id}/image' };
    expect(await accessTo(`scan-${scan.scanId}`)).toEqual([expect.objectContaining({ ...entry, record: `scan-${scan.scanId}` })]);
    expect(await accessTo(`recipient-${SAPPORO}-${c}`)).toEqual([expect.objectContaining({ ...entry, record: `recipient-${SAPPORO}-${c}` })]);
  });

  it('a scan waiting in the review queue: logged under the scan and the recipient its line names', async () => {
    const c = otherCoupon(42);
    await register(c);
    const scan = await upload(await makeCoupon({ line: lineOf(1, SAPPORO, c), layout: 'sapporo', variant: 'clean', qr: true, seed: 42 }), 'bad lot');
    expect(scan.status).toBe('needs-review');
    const queue = (await t.app.inject({ method: 'GET', url: '/v1/scans/review', headers: site })).json() as { items: { scanId: string }[] };
    expect(queue.items.map((i) => i.scanId)).toContain(scan.scanId);

    expect((await getImage(scan.scanId)).statusCode).toBe(200);
    expect((await getImage(scan.scanId)).statusCode).toBe(200);
    expect(await accessTo(`scan-${scan.scanId}`)).toHaveLength(2); // every read, not the first only
    expect(await accessTo(`recipient-${SAPPORO}-${c}`)).toEqual([
      expect.objectContaining({ endpoint: 'GET /v1/scans/{id}/image', actor: expect.objectContaining({ sub: 'nurse-peeking' }) }),
      expect.objectContaining({ endpoint: 'GET /v1/scans/{id}/image' }),
    ]);
  });

  it('a refused read (another site) serves nothing and logs nothing', async () => {
    const c = otherCoupon(43);
    await register(c);
    const scan = await upload(await makeCoupon({ line: lineOf(1, SAPPORO, c), layout: 'sapporo', variant: 'clean', qr: true, seed: 43 }), 'FA1234');
    const other = await t.auth('site', { site: 'S002', sub: 'nurse-elsewhere' });
    expect((await getImage(scan.scanId, other)).statusCode).toBe(404);
    expect(await accessTo(`scan-${scan.scanId}`)).toEqual([]);
  });
});
