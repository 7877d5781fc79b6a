import { describe, it, expect } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseMunicipalityCode } from '../../../src/domain/codes/municipalityCode.js';
import { parseMyNumber } from '../../../src/domain/codes/myNumber.js';
import { limitRows } from '../../../src/import/importLimits.js';
import { readRecipientCsv, type ImportLine } from '../../../src/import/readRecipientCsv.js';
import { chiyoda, encode, fakeRow, fixtures, withMunicipalityCheckDigit, writeLargeCsv } from '../../fixtures/csv/makeCsv.js';
import { chunked, collect } from './collect.js';

const read = async (bytes: Buffer, options: Parameters<typeof readRecipientCsv>[1] = {}) =>
  (await collect(readRecipientCsv(chunked(bytes, [7, 100, 101, 333]), options))).flat();
const rejected = (lines: ImportLine[]) => lines.filter((l) => !l.ok).map((l) => [l.line, ...(!l.ok ? l.errors.map((e) => `${e.field}:${e.code}`) : [])]);

describe('readRecipientCsv', () => {
  it.each(['utf8', 'utf8-bom', 'sjis'] as const)('reads a %s file to register bodies', async (encoding) => {
    const lines = await read(encode(fixtures.valid(3), encoding));
    expect(lines.map((l) => l.ok && [l.line, l.recipient.coupon, l.recipient.nameKana])).toEqual([
      [2, '0000000001', 'シケン タロウ'], [3, '0000000002', 'カメイ タロウ'], [4, '0000000003', 'レイジ タロウ'],
    ]);
  });

  it('normalises eras, full-width digits and half-width kana from a Shift_JIS file', async () => {
    const eras = await read(encode(fixtures.eras(), 'sjis'));
    expect(eras.map((l) => (l.ok ? l.recipient.birthDate : l.errors[0].code))).toEqual([
      '1970-03-01', '1970-03-01', '1989-01-08', '1989-01-08', '2019-05-01', '2021-05-01', 'DATE_OUTSIDE_ERA',
    ]);
    const [fw] = await read(encode(fixtures.fullWidthDigits(), 'sjis'));
    expect(fw).toMatchObject({ ok: true, recipient: { municipality: '131016', coupon: '0000000001', birthDate: '1970-03-01', sex: 'M' } });
    const kana = await read(encode(fixtures.halfWidthKana(), 'sjis'));
    expect(kana.map((l) => l.ok && l.recipient.nameKana)).toEqual(['ミホン タロウ', 'シケン ハナゴ']);
  });

  it('rejects the line with a bad municipality check digit and keeps the rest', async () => {
    expect(rejected(await read(encode(fixtures.badMunicipalityCheckDigit(), 'sjis')))).toEqual([[3, 'municipality:INVALID_MUNICIPALITY_CODE']]);
  });

  it('passes a duplicate My Number through: uniqueness is the decider’s rule, not the parser’s', async () => {
    const lines = await read(encode(fixtures.duplicateMyNumber(), 'utf8'));
    expect(lines.map((l) => l.ok && l.recipient.myNumber)).toEqual([fakeRow(1).myNumber, fakeRow(1).myNumber]);
  });

  it('reports broken and truncated lines with their physical line numbers', async () => {
    expect(rejected(await read(encode(fixtures.brokenLines(), 'sjis')))).toEqual([[3, 'line:FIELD_COUNT'], [5, 'line:FIELD_COUNT']]);
    expect(rejected(await read(encode(fixtures.truncatedMidLine(), 'utf8')))).toEqual([[4, 'line:FIELD_COUNT']]);
    expect(rejected(await read(encode(fixtures.truncatedInQuotedField(), 'sjis')))).toEqual([[4, 'line:MALFORMED_LINE']]);
  });

  it('rejects rows of another municipality when the importer is known', async () => {
    const other = withMunicipalityCheckDigit('01100');
    const text = fixtures.valid(1) + [other, '0000000009', '9', '見本 花子', 'ミホン ハナコ', '1990-01-01', '2', '', ''].join(',') + '\r\n';
    expect(rejected(await read(encode(text, 'utf8'), { municipality: chiyoda }))).toEqual([[3, 'municipality:MUNICIPALITY_MISMATCH']]);
  });

  it('yields batches of the requested size', async () => {
    const batches = await collect(readRecipientCsv(Readable.from([encode(fixtures.valid(7), 'utf8')]), { batchSize: 3 }));
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
  });

  it('fails with IMPORT_TOO_LARGE (413) stating the byte limit', async () => {
    const bytes = encode(fixtures.valid(50), 'utf8');
    const attempt = read(bytes, { limits: { maxBytes: 1000 } });
    await expect(attempt).rejects.toMatchObject({ code: 'IMPORT_TOO_LARGE', status: 413, details: { limit: 'bytes', max: 1000 } });
    await expect(read(bytes, { limits: { maxBytes: 1000 } })).rejects.toThrow('1000 bytes');
    expect(await read(bytes, { limits: { maxBytes: bytes.length } })).toHaveLength(50);
  });

  it('fails with IMPORT_TOO_LARGE stating the row limit, counting rejected lines too', async () => {
    const bytes = encode(fixtures.brokenLines(), 'utf8'); // 5 data lines, 2 of them broken
    await expect(read(bytes, { limits: { maxRows: 4 } })).rejects.toMatchObject({ code: 'IMPORT_TOO_LARGE', status: 413, message: expect.stringContaining('4 data rows') });
    expect(await read(bytes, { limits: { maxRows: 5 } })).toHaveLength(5);
  });

  it('limitRows lets exactly the maximum through', async () => {
    const items = async function* () { yield* [1, 2, 3]; };
    expect(await collect(limitRows(items(), 3))).toEqual([1, 2, 3]);
    await expect(collect(limitRows(items(), 2))).rejects.toMatchObject({ code: 'IMPORT_TOO_LARGE' });
  });
});

describe('fixtures', () => {
  it('compute check digits the domain accepts', () => {
    expect(chiyoda).toBe('131016');
    expect(withMunicipalityCheckDigit('01100')).toBe('011002');
    expect(withMunicipalityCheckDigit('14100')).toBe('141003');
    for (let i = 0; i < 200; i++) expect(parseMyNumber(fakeRow(i).myNumber).ok).toBe(true);
    expect(parseMunicipalityCode(fakeRow(1).municipality).ok).toBe(true);
  });

  it('write a large Shift_JIS file by streaming that reads back clean', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vrs-csv-'));
    try {
      const path = join(dir, 'large.csv');
      await writeLargeCsv(path, 2000, { encoding: 'sjis', chunkRows: 300 });
      const written = await readFile(path);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(written)).toThrow(); // really Shift_JIS
      const lines = (await collect(readRecipientCsv(createReadStream(path, { highWaterMark: 4096 }), { batchSize: 500 }))).flat();
      expect(lines).toHaveLength(2000);
      expect(rejected(lines)).toEqual([]);
      expect(lines[1999]).toMatchObject({ line: 2001, ok: true, recipient: { coupon: '0000002000' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('examples/recipients-sample.csv', () => {
  it('imports without a rejected line', async () => {
    const lines = (await collect(readRecipientCsv(createReadStream('examples/recipients-sample.csv'), { municipality: '131016' }))).flat();
    expect(lines.length).toBeGreaterThan(0);
    expect(rejected(lines)).toEqual([]);
  });
});
