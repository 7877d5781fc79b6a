import { describe, it, expect } from '@jest/globals';
import iconv from 'iconv-lite';
import { decodeCsvStream } from '../../../src/import/decodeCsvStream.js';
import type { CsvEncoding } from '../../../src/import/resolveCharset.js';
import { encode, fixtures } from '../../fixtures/csv/makeCsv.js';
import { chunked, readText } from './collect.js';

const text = fixtures.valid(3) + '半角ｶﾅ,①,髙,～\r\n';

const decode = async (bytes: Buffer, options: { charset?: string; maxSampleBytes?: number; cuts?: number[] } = {}) => {
  let encoding: CsvEncoding | undefined;
  const out = await readText(decodeCsvStream(chunked(bytes, options.cuts), { ...options, onEncoding: (e) => (encoding = e) }));
  return { out, encoding };
};

describe('decodeCsvStream', () => {
  it('reads UTF-8 without a BOM', async () => {
    expect(await decode(encode(text, 'utf8'))).toEqual({ out: text, encoding: 'utf8' });
  });

  it('reads UTF-8 with a BOM and drops the BOM', async () => {
    const { out, encoding } = await decode(encode(text, 'utf8-bom'));
    expect(encoding).toBe('utf8');
    expect(out).toBe(text);
  });

  it('detects Shift_JIS (CP932, incl. NEC/IBM extensions)', async () => {
    expect(await decode(encode(text, 'sjis'))).toEqual({ out: text, encoding: 'cp932' });
  });

  it('uses the given charset without detecting', async () => {
    expect((await decode(encode(text, 'sjis'), { charset: 'Shift_JIS' })).encoding).toBe('cp932');
    expect((await decode(encode(text, 'sjis'), { charset: 'windows-31j' })).out).toBe(text);
    expect((await decode(encode(text, 'utf8-bom'), { charset: 'utf-8' })).out).toBe(text);
  });

  it('refuses an unsupported charset with a stable code', () => {
    expect(() => decodeCsvStream(chunked(Buffer.from('a')), { charset: 'euc-jp' })).toThrow(
      expect.objectContaining({ code: 'IMPORT_UNSUPPORTED_CHARSET', status: 415 }),
    );
  });

  it('detects UTF-8 when a multibyte character is split across the chunks it decides on', async () => {
    const bytes = encode('氏名\r\n' + '見本'.repeat(100), 'utf8');
    // cut inside every 3-byte character of the first few; tiny sample so the cut lands at the decision point
    const cuts = [1, 2, 4, 8, 9, 13, 200, 301];
    const { out, encoding } = await decode(bytes, { cuts, maxSampleBytes: 4 });
    expect(encoding).toBe('utf8');
    expect(out).toBe('氏名\r\n' + '見本'.repeat(100));
  });

  it('decides UTF-8 even when the held sample ends in the middle of a character', async () => {
    const bytes = encode('見'.repeat(200), 'utf8'); // 600 bytes, >256 non-ASCII after 86 chars
    const { out, encoding } = await decode(bytes, { cuts: [298, 299, 301] });
    expect(encoding).toBe('utf8');
    expect(out).toBe('見'.repeat(200));
  });

  it('keeps a Shift_JIS double-byte character whole when split across chunks', async () => {
    const s = '見本 太郎,ﾐﾎﾝ\r\n'.repeat(50);
    const bytes = iconv.encode(s, 'cp932');
    const cuts = Array.from({ length: 40 }, (_, i) => i * 7 + 1);
    expect((await decode(bytes, { cuts })).out).toBe(s);
    expect((await decode(bytes, { cuts, charset: 'shift_jis' })).out).toBe(s);
  });

  it('reads an all-ASCII file as UTF-8 once the sample limit is reached', async () => {
    const s = 'municipality,coupon\r\n' + '131016,0000000001\r\n'.repeat(100);
    expect(await decode(Buffer.from(s), { maxSampleBytes: 64, cuts: [30, 60, 90, 120] })).toEqual({ out: s, encoding: 'utf8' });
  });

  it('turns bytes invalid in the chosen encoding into U+FFFD rather than failing the file', async () => {
    const bytes = Buffer.concat([encode('見本'.repeat(200), 'utf8'), Buffer.from([0x82, 0xa0])]);
    const { out, encoding } = await decode(bytes, { cuts: [1200] });
    expect(encoding).toBe('utf8');
    expect(out.endsWith('\uFFFD')).toBe(true);
  });

  it('passes a source error on', async () => {
    const { Readable } = await import('node:stream');
    const source = new Readable({ read() { this.destroy(new Error('connection reset')); } });
    await expect(readText(decodeCsvStream(source))).rejects.toThrow('connection reset');
  });
});
