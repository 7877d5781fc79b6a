import { describe, it, expect } from '@jest/globals';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { breaksIn } from '../../../src/import/breaksIn.js';
import { parseRecipientRows, type ParsedRow } from '../../../src/import/parseRecipientRows.js';
import { chiyoda, csvLine, englishHeader, fakeRow, fixtures, japaneseHeader, toCsv } from '../../fixtures/csv/makeCsv.js';
import { collect } from './collect.js';

const parse = (text: string, options = {}) => collect(parseRecipientRows(Readable.from([text]), options));
const summary = (rows: ParsedRow[]) => rows.map((r) => (r.ok ? [r.line, 'ok'] : [r.line, r.errors.map((e) => e.code).join(), r.endLine]));

describe('parseRecipientRows', () => {
  it('maps Japanese headers to fields and numbers lines from the header', async () => {
    const rows = await parse(fixtures.valid(2));
    expect(rows).toEqual([
      { line: 2, ok: true, raw: fakeRow(1) },
      { line: 3, ok: true, raw: fakeRow(2) },
    ]);
  });

  it('maps English headers in any case and order, and optional 医療従事者', async () => {
    const header = ['SEX', 'birth_date', 'name', 'nameKana', 'addressNumber', 'coupon', 'municipality', '医療従事者'];
    const row = fakeRow(1);
    const text = [csvLine(header), csvLine([row.sex, row.birthDate, row.name, row.nameKana, row.addressNumber, row.coupon, row.municipality, '1'])].join('\n');
    expect(await parse(text)).toEqual([
      { line: 2, ok: true, raw: { municipality: row.municipality, coupon: row.coupon, addressNumber: row.addressNumber, name: row.name, nameKana: row.nameKana, birthDate: row.birthDate, sex: row.sex, medicalWorker: '1' } },
    ]);
  });

  it('reports lines with too few or too many fields by their physical line', async () => {
    expect(summary(await parse(fixtures.brokenLines()))).toEqual([
      [2, 'ok'], [3, 'FIELD_COUNT', undefined], [4, 'ok'], [5, 'FIELD_COUNT', undefined], [6, 'ok'],
    ]);
  });

  it('says how many fields were expected and found without echoing the line', async () => {
    const [row] = await parse(toCsv([{ rawLine: `${chiyoda},0000000002,3` }]));
    expect(row).toEqual({ line: 2, ok: false, errors: [{ field: 'line', code: 'FIELD_COUNT', message: 'expected 9 fields as in the header, found 3' }] });
  });

  it('skips empty and all-blank lines but keeps counting them', async () => {
    const text = toCsv([fakeRow(1), { rawLine: '' }, { rawLine: ',,,,,,,,' }, fakeRow(2)]);
    expect(summary(await parse(text))).toEqual([[2, 'ok'], [5, 'ok']]);
  });

  it('numbers a record by its first line when a quoted field spans lines (LF and CRLF)', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = toCsv([fakeRow(1, { address: `見本町${eol}0-0-1` }), fakeRow(2), { rawLine: 'short' }], { eol });
      const rows = await parse(text);
      expect(summary(rows)).toEqual([[2, 'ok'], [4, 'ok'], [5, 'FIELD_COUNT', undefined]]);
    }
  });

  it('reports a file cut off mid-line on its last line', async () => {
    expect(summary(await parse(fixtures.truncatedMidLine()))).toEqual([[2, 'ok'], [3, 'ok'], [4, 'FIELD_COUNT', undefined]]);
  });

  it('reports a file cut off inside a quoted field on its last line', async () => {
    expect(summary(await parse(fixtures.truncatedInQuotedField()))).toEqual([[2, 'ok'], [3, 'ok'], [4, 'MALFORMED_LINE', undefined]]);
  });

  it('reports every line swallowed by a runaway quote instead of losing them', async () => {
    const text = toCsv([fakeRow(1), { rawLine: `${chiyoda},"0000000002` }, fakeRow(3), fakeRow(4), fakeRow(5)], { eol: '\n' });
    const rows = await parse(text, { maxRecordChars: 300 });
    const lines = rows.flatMap((r) => (r.ok ? [r.line] : Array.from({ length: (r.endLine ?? r.line) - r.line + 1 }, (_, i) => r.line + i)));
    expect(lines).toEqual([2, 3, 4, 5, 6]);
    expect(rows[0]).toMatchObject({ line: 2, ok: true });
    expect(rows.slice(1).every((r) => !r.ok)).toBe(true);
  });

  it('reports a line longer than the limit once, and the lines after it once, however the file arrives in chunks', async () => {
    const text = toCsv([fakeRow(1), { rawLine: `${'x'.repeat(2_000)},a,b` }, fakeRow(3), fakeRow(4)], { eol: '\n' });
    const chunks = (size: number) => Readable.from(Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size)));
    for (const source of [Readable.from([text]), chunks(300), chunks(64)]) {
      expect(summary(await collect(parseRecipientRows(source, { maxRecordChars: 300 })))).toEqual([[2, 'ok'], [3, 'MALFORMED_LINE', undefined], [4, 'UNREADABLE_LINES', 5]]);
    }
  });

  it('keeps a stray quote inside an unquoted field as text', async () => {
    const [row] = await parse(toCsv([fakeRow(1, { address: '' })]).replace(',,100', ',見本"町,100'));
    expect(row).toMatchObject({ line: 2, ok: true, raw: { address: '見本"町' } });
  });

  it('fails the file on an unknown column, naming its position and not its text', async () => {
    const header = [...japaneseHeader.slice(0, 3), '山田太郎', ...japaneseHeader.slice(3)];
    const attempt = parse(toCsv([], { header }));
    await expect(attempt).rejects.toMatchObject({ code: 'IMPORT_UNKNOWN_COLUMN', status: 400, message: expect.stringContaining('column 4') });
    await expect(attempt).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining('山田') }));
  });

  it('fails the file on a missing required column, naming it', async () => {
    const header = japaneseHeader.filter((h) => h !== '生年月日');
    await expect(parse(toCsv([], { header }))).rejects.toMatchObject({ code: 'IMPORT_MISSING_COLUMN', message: expect.stringContaining('生年月日/birthDate') });
  });

  it('needs the municipality column only when the importing municipality is not known', async () => {
    const header = englishHeader.filter((h) => h !== 'municipality');
    await expect(parse(toCsv([], { header }))).rejects.toMatchObject({ code: 'IMPORT_MISSING_COLUMN', message: expect.stringContaining('municipality') });
    expect(await parse(toCsv([], { header }), { municipalityKnown: true })).toEqual([]);
  });

  it('fails the file on a repeated column', async () => {
    await expect(parse(toCsv([], { header: [...japaneseHeader, 'coupon'] }))).rejects.toMatchObject({ code: 'IMPORT_DUPLICATE_COLUMN' });
  });

  it('fails an empty file with a missing-header error', async () => {
    await expect(parse('')).rejects.toMatchObject({ code: 'IMPORT_MISSING_HEADER' });
    await expect(parse('\r\n\r\n')).rejects.toMatchObject({ code: 'IMPORT_MISSING_HEADER' });
  });
});

describe('breaksIn', () => {
  // As first written: the trailing break cut off, then every CRLF, CR or LF counted.
  const byDefinition = (raw: string) => raw.replace(/(\r\n|\r|\n)$/, '').match(/\r\n|\r|\n/g)?.length ?? 0;
  it('counts line breaks inside a record as the definition does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('\r', '\n', '\r\n', 'a', '"', ',', 'あ'), { maxLength: 12 }), (parts) => {
        const raw = parts.join('');
        expect(breaksIn(raw)).toBe(byDefinition(raw));
      }),
      { numRuns: 3000 },
    );
    expect(breaksIn(undefined)).toBe(0);
  });
});
