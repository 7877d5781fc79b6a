import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { chiyoda, fakeRow, toCsv } from '../../fixtures/csv/makeCsv.js';
import { person } from '../../support/people.js';

/**
 * Bytes that are not what the Content-Type says: invalid UTF-8 must never be stored as U+FFFD as if the client
 * had sent it, and a charset the server does not read must be refused, on the import and on every JSON route.
 */
describe('attack: invalid UTF-8 and unsupported charsets', () => {
  let t: TestApp;
  let clerk: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    clerk = await t.auth('municipality', { municipality: chiyoda, sub: 'clerk-chiyoda' });
  });
  afterAll(async () => t?.close());

  const postJson = (url: string, body: Buffer, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, headers: { ...clerk, 'content-type': contentType }, payload: body });
  const statusOf = (coupon: string) => t.app.inject({ method: 'GET', url: `/v1/recipients/${chiyoda}/${coupon}`, headers: clerk });

  describe('JSON bodies', () => {
    it('a name with an invalid byte → 400 INVALID_ENCODING naming the offset, never the bytes; nothing registered', async () => {
      const p = person(1);
      const text = JSON.stringify({ ...p, name: 'XX' });
      const at = Buffer.byteLength(text.slice(0, text.indexOf('XX')));
      const body = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('XX'))), Buffer.from([0xe6, 0xff]), Buffer.from(text.slice(text.indexOf('XX') + 2))]);
      const res = await postJson('/v1/recipients', body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'INVALID_ENCODING', message: expect.stringContaining(`byte ${at}`), details: { offset: at } } });
      expect(res.body).not.toContain('\uFFFD');
      expect((await statusOf(p.coupon)).statusCode).toBe(404);
    });

    it.each([
      ['a lone continuation byte', [0x80]],
      ['an overlong slash (C0 AF)', [0xc0, 0xaf]],
      ['a UTF-16 surrogate encoded in UTF-8 (ED A0 80)', [0xed, 0xa0, 0x80]],
      ['a sequence cut off at the end of the body', [0xe3, 0x81]],
    ])('%s → 400 INVALID_ENCODING', async (_name, bytes) => {
      const body = Buffer.concat([Buffer.from('{"reason":"'), Buffer.from(bytes), Buffer.from(bytes[0] === 0xe3 ? [] : Buffer.from('"}'))]);
      const res = await postJson(`/v1/recipients/${chiyoda}/${person(1).coupon}/corrections`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'INVALID_ENCODING', details: { offset: 11 } });
    });

    it.each([['latin1'], ['utf-16'], ['ISO-8859-1'], ['shift_jis'], ['"utf-16le"']])('charset=%s on a JSON route → 415 UNSUPPORTED_CHARSET', async (charset) => {
      const p = person(2);
      const res = await postJson('/v1/recipients', Buffer.from(JSON.stringify(p)), `application/json; charset=${charset}`);
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_CHARSET');
      expect((await statusOf(p.coupon)).statusCode).toBe(404);
    });

    it('valid UTF-8, with or without charset=utf-8, is accepted (the control)', async () => {
      const a = await postJson('/v1/recipients', Buffer.from(JSON.stringify(person(3))), 'application/json; charset=UTF-8');
      expect(a.statusCode).toBe(201);
      const b = await postJson('/v1/recipients', Buffer.from(JSON.stringify({ ...person(4), name: '髙橋 𠮷男' })));
      expect(b.statusCode).toBe(201);
    });
  });

  describe('CSV import', () => {
    const postCsv = (body: Buffer, contentType: string) =>
      t.app.inject({ method: 'POST', url: '/v1/recipients/import', headers: { ...clerk, 'content-type': contentType }, payload: body });

    it('a line with an invalid byte is rejected as INVALID_ENCODING with the byte offset; the other lines are imported', async () => {
      const text = toCsv([fakeRow(11), fakeRow(12, { name: 'ZZ' }), fakeRow(13)]);
      const at = Buffer.byteLength(text.slice(0, text.indexOf('ZZ')));
      const bytes = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('ZZ'))), Buffer.from([0xe6, 0x97]), Buffer.from(text.slice(text.indexOf('ZZ') + 2))]);
      const res = await postCsv(bytes, 'text/csv; charset=utf-8');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        imported: 2,
        duplicates: 0,
        rejected: [{ line: 3, errors: [{ field: 'name', code: 'INVALID_ENCODING', message: expect.stringContaining(`offset ${at}`), offset: at }] }],
      });
      expect((await statusOf(fakeRow(12).coupon)).statusCode).toBe(404);
    });

    it.each([['latin1'], ['utf-16'], ['UTF-16LE'], ['iso-2022-jp'], ['euc-jp']])('charset=%s → 415 IMPORT_UNSUPPORTED_CHARSET', async (charset) => {
      const res = await postCsv(Buffer.from(toCsv([fakeRow(21)])), `text/csv; charset=${charset}`);
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('IMPORT_UNSUPPORTED_CHARSET');
      expect((await statusOf(fakeRow(21).coupon)).statusCode).toBe(404);
    });

    it('a UTF-16 file sent without a charset (byte-order mark) → 415, not read as Shift_JIS', async () => {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(toCsv([fakeRow(22)]), 'utf16le')]);
      const res = await postCsv(utf16, 'text/csv');
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('IMPORT_UNSUPPORTED_CHARSET');
      expect((await statusOf(fakeRow(22).coupon)).statusCode).toBe(404);
    });
  });
});
