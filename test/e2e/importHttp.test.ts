import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { chiyoda, encode, fakeRow, fixtures, toCsv } from '../fixtures/csv/makeCsv.js';
import { SAPPORO } from '../support/people.js';

describe('POST /v1/recipients/import', () => {
  let t: TestApp;
  let clerk: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp({ env: { VRS_IMPORT_MAX_BYTES: '4096', VRS_IMPORT_MAX_ROWS: '20' } });
    clerk = await t.auth('municipality', { municipality: chiyoda, sub: 'clerk-chiyoda' });
  });
  afterAll(async () => t.close());

  const post = (body: Buffer, contentType: string, headers: Record<string, string> = clerk) =>
    t.app.inject({ method: 'POST', url: '/v1/recipients/import', headers: { ...headers, 'content-type': contentType }, payload: body });

  it('imports a Shift_JIS body named by its charset, and counts a re-import as duplicates', async () => {
    const bytes = encode(fixtures.brokenLines(), 'sjis');
    const first = await post(bytes, 'text/csv; charset=Shift_JIS');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      imported: 3,
      duplicates: 0,
      rejected: [
        { line: 3, errors: [expect.objectContaining({ field: 'line', code: 'FIELD_COUNT' })] },
        { line: 5, errors: [expect.objectContaining({ field: 'line', code: 'FIELD_COUNT' })] },
      ],
    });
    const again = await post(bytes, 'text/csv');
    expect(again.json()).toMatchObject({ imported: 0, duplicates: 3 });
    const status = await t.app.inject({ method: 'GET', url: `/v1/recipients/${chiyoda}/${fakeRow(1).coupon}`, headers: clerk });
    expect(status.json()).toMatchObject({ status: 'active', person: { name: fakeRow(1).name, nameKana: fakeRow(1).nameKana } });
  });

  it('imports only for the caller’s municipality', async () => {
    const sapporo = await t.auth('municipality', { municipality: SAPPORO, sub: 'clerk-sapporo' });
    const res = await post(encode(toCsv([fakeRow(9)]), 'utf8'), 'text/csv; charset=utf-8', sapporo);
    expect(res.json()).toEqual({ imported: 0, duplicates: 0, rejected: [{ line: 2, errors: [expect.objectContaining({ field: 'municipality', code: 'MUNICIPALITY_MISMATCH' })] }] });
  });

  it('answers 413 stating the limit when the file is too large or has too many rows', async () => {
    const big = await post(encode(fixtures.valid(60), 'utf8'), 'text/csv');
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'IMPORT_TOO_LARGE', details: { limit: 'bytes', max: 4096 } });
    expect(big.json().error.message).toContain('4096 bytes');

    // 21 short (broken) lines: rejected lines count towards the limit too.
    const rows = Array.from({ length: 21 }, (_, i) => ({ rawLine: `x${i}` }));
    const many = await post(Buffer.from(toCsv(rows), 'utf8'), 'text/csv');
    expect(many.statusCode).toBe(413);
    expect(many.json().error).toMatchObject({ code: 'IMPORT_TOO_LARGE', details: { limit: 'rows', max: 20 } });
    expect(many.json().error.message).toContain('20 data rows');
  });

  it('refuses an unknown charset (415), a body that is not CSV (415), a bad header (400) and other roles (403)', async () => {
    expect((await post(Buffer.from('x'), 'text/csv; charset=latin1')).json().error.code).toBe('IMPORT_UNSUPPORTED_CHARSET');
    expect((await post(Buffer.from('x'), 'text/csv; charset=latin1')).statusCode).toBe(415);
    expect((await post(Buffer.from('x'), 'application/pdf')).statusCode).toBe(415);
    const header = await post(Buffer.from('what,ever\r\n1,2\r\n'), 'text/csv');
    expect(header.statusCode).toBe(400);
    expect(header.json().error.code).toBe('IMPORT_UNKNOWN_COLUMN');
    const site = await t.auth('site', { site: 'S001' });
    expect((await post(encode(fixtures.valid(1), 'utf8'), 'text/csv', site)).statusCode).toBe(403);
  });

  it('keeps personal values out of the log lines', async () => {
    const row = fakeRow(42, { birthDate: 'yesterday' });
    await post(encode(toCsv([row]), 'utf8'), 'text/csv');
    const logs = t.logs.join('\n');
    for (const value of [row.name, row.myNumber, row.address]) expect(logs).not.toContain(value);
  });
});
