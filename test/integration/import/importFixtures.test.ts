import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { chiyoda, encode, fakeRow, fixtures, toCsv, withMunicipalityCheckDigit } from '../../fixtures/csv/makeCsv.js';
import { handleRegisterRecipient, commandContext } from '../../../src/ledger/index.js';
import { countEvents, importBytes, importDepsOf, clerk } from './importDeps.js';

const codes = (answer: { rejected: { line: number; errors: { field: string; code: string }[] }[] }) =>
  answer.rejected.map((r) => [r.line, r.errors.map((e) => `${e.field}:${e.code}`).join(' ')]);

let next = 20000;
const freshMunicipality = () => withMunicipalityCheckDigit(String(next++));
const inMunicipality = (csv: string, m: string) => csv.replaceAll(chiyoda, m);

describe('CSV import: fixture files → exact answers', () => {
  let t: TestApp;
  // A fresh database per case: the fixtures reuse the same fake My Numbers.
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.close());

  it('imports a Shift_JIS file, then counts every row as a duplicate on re-import', async () => {
    const m = freshMunicipality();
    const bytes = encode(inMunicipality(fixtures.valid(5), m), 'sjis');
    expect(await importBytes(t.runtime, bytes, m)).toEqual({ imported: 5, duplicates: 0, rejected: [] });
    expect(await importBytes(t.runtime, bytes, m)).toEqual({ imported: 0, duplicates: 5, rejected: [] });
  });

  it('reads era dates, and rejects a 平成 date that is really 令和', async () => {
    const m = freshMunicipality();
    const answer = await importBytes(t.runtime, encode(inMunicipality(fixtures.eras(), m), 'utf8'), m);
    expect(answer.imported).toBe(6);
    expect(codes(answer)).toEqual([[8, 'birthDate:DATE_OUTSIDE_ERA']]);
  });

  it('takes full-width digits (UTF-8 with BOM) and half-width kana', async () => {
    const m = chiyoda;
    const text = fixtures.fullWidthDigits();
    expect(await importBytes(t.runtime, encode(text, 'utf8-bom'), m)).toEqual({ imported: 1, duplicates: 0, rejected: [] });
    expect(await importBytes(t.runtime, encode(inMunicipality(fixtures.halfWidthKana(), m), 'sjis'), m)).toEqual({ imported: 1, duplicates: 1, rejected: [] });
  });

  it('reports broken lines by their line number and imports the rest', async () => {
    const m = freshMunicipality();
    const answer = await importBytes(t.runtime, encode(inMunicipality(fixtures.brokenLines(), m), 'sjis'), m);
    expect({ imported: answer.imported, duplicates: answer.duplicates }).toEqual({ imported: 3, duplicates: 0 });
    expect(codes(answer)).toEqual([[3, 'line:FIELD_COUNT'], [5, 'line:FIELD_COUNT']]);
  });

  it('rejects a municipality code with a bad check digit', async () => {
    const answer = await importBytes(t.runtime, encode(fixtures.badMunicipalityCheckDigit(), 'utf8'), chiyoda, { batchSize: 1 });
    expect(answer.imported).toBe(1);
    expect(codes(answer)).toEqual([[3, 'municipality:INVALID_MUNICIPALITY_CODE']]);
  });

  it('rejects a My Number used twice in one file, inside one batch and across batches', async () => {
    for (const batchSize of [1000, 1]) {
      const m = freshMunicipality();
      const first = fakeRow(1, { municipality: m, myNumber: fakeRow(next * 10).myNumber });
      const text = toCsv([first, fakeRow(2, { municipality: m, myNumber: first.myNumber }), fakeRow(3, { municipality: m, myNumber: fakeRow(next * 10 + 1).myNumber })]);
      const answer = await importBytes(t.runtime, encode(text, 'sjis'), m, { batchSize });
      expect(answer.imported).toBe(2);
      expect(codes(answer)).toEqual([[3, 'myNumber:MY_NUMBER_ALREADY_ACTIVE']]);
    }
  });

  it('rejects a My Number already active in another municipality (registered through the API path)', async () => {
    const other = freshMunicipality();
    const m = freshMunicipality();
    const row = fakeRow(7, { municipality: m, myNumber: fakeRow(777_777).myNumber });
    await handleRegisterRecipient(
      importDepsOf(t.runtime),
      { municipality: other, coupon: '0000000007', addressNumber: 'X-7', name: row.name, nameKana: row.nameKana, myNumber: row.myNumber, sex: 'M', birthDate: '1970-01-01', medicalWorker: false },
      commandContext(clerk(other)),
    );
    const answer = await importBytes(t.runtime, encode(toCsv([row]), 'utf8'), m);
    expect(answer.imported).toBe(0);
    expect(codes(answer)).toEqual([[2, 'myNumber:MY_NUMBER_ALREADY_ACTIVE']]);
  });

  it('reports a file cut off mid-line', async () => {
    const m1 = freshMunicipality();
    const cut = await importBytes(t.runtime, encode(inMunicipality(fixtures.truncatedMidLine(), m1), 'utf8'), m1);
    expect(cut.imported).toBe(2);
    expect(codes(cut)).toEqual([[4, 'line:FIELD_COUNT']]);
  });

  it('reports a file cut off inside a quoted field', async () => {
    const m2 = freshMunicipality();
    const quoted = await importBytes(t.runtime, encode(inMunicipality(fixtures.truncatedInQuotedField(), m2), 'sjis'), m2);
    expect(quoted.imported).toBe(2);
    expect(codes(quoted)).toEqual([[4, 'line:MALFORMED_LINE']]);
  });

  it('rejects rows of another municipality and rule breaks of POST /v1/recipients', async () => {
    const m = freshMunicipality();
    const text = toCsv([fakeRow(1, { municipality: m }), fakeRow(2, { municipality: chiyoda }), fakeRow(3, { municipality: m, birthDate: '2999-01-01' })]);
    const answer = await importBytes(t.runtime, encode(text, 'utf8'), m);
    expect(answer.imported).toBe(1);
    expect(codes(answer)).toEqual([[3, 'municipality:MUNICIPALITY_MISMATCH'], [4, 'birthDate:DATE_IN_FUTURE']]);
  });

  it('rejects a NUL character in a name or address (the HTTP guard never sees an import row), naming the field', async () => {
    const m = freshMunicipality();
    const text = toCsv([
      fakeRow(1, { municipality: m }),
      fakeRow(2, { municipality: m, name: '見本\u0000太郎' }),
      fakeRow(3, { municipality: m, address: '東京都\u0000千代田区' }),
    ]);
    const answer = await importBytes(t.runtime, encode(text, 'utf8'), m);
    expect(answer.imported).toBe(1);
    expect(codes(answer)).toEqual([[3, 'name:INVALID_CHARACTERS'], [4, 'address:INVALID_CHARACTERS']]);
    expect(answer.rejected[0].errors[0].message).toMatch(/NUL/);
  });

  it('never puts a personal value in an answer', async () => {
    const m = freshMunicipality();
    const bad = fakeRow(5, { municipality: m, myNumber: fakeRow(5).myNumber.slice(0, 11) + '9', nameKana: '見本' });
    const answer = await importBytes(t.runtime, encode(toCsv([bad]), 'utf8'), m);
    const text = JSON.stringify(answer);
    expect(answer.rejected).toHaveLength(1);
    for (const value of [bad.myNumber, bad.name, bad.nameKana, bad.address]) expect(text).not.toContain(value);
  });

  it('answers the same whatever the batch size: a repeat in the next batch, decided while the last one appends, is refused on its later line', async () => {
    const answers = [];
    for (const [run, batchSize] of [1, 2, 3, 1000].entries()) {
      const m = freshMunicipality();
      const mn = (k: number) => fakeRow(900_000 + run * 100 + k).myNumber;
      const rows = [
        fakeRow(1, { municipality: m, myNumber: mn(1) }),
        fakeRow(2, { municipality: m, myNumber: mn(2) }),
        fakeRow(1, { municipality: m, myNumber: mn(3) }), // coupon 1 again: a duplicate
        fakeRow(4, { municipality: m, myNumber: mn(2) }), // My Number of line 3 again
        fakeRow(5, { municipality: m, myNumber: mn(5) }),
        fakeRow(2, { municipality: m, myNumber: mn(6) }), // coupon 2 again
        fakeRow(7, { municipality: m, myNumber: mn(5) }), // My Number of line 6 again
      ];
      const answer = await importBytes(t.runtime, encode(toCsv(rows), 'utf8'), m, { batchSize });
      answers.push({ imported: answer.imported, duplicates: answer.duplicates, rejected: codes(answer) });
    }
    expect(answers[0]).toEqual({ imported: 3, duplicates: 2, rejected: [[5, 'myNumber:MY_NUMBER_ALREADY_ACTIVE'], [8, 'myNumber:MY_NUMBER_ALREADY_ACTIVE']] });
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('registers everyone exactly once when two imports of the same file race', async () => {
    const m = freshMunicipality();
    const rows = Array.from({ length: 60 }, (_, i) => fakeRow(i + 1, { municipality: m, myNumber: fakeRow(500_000 + i).myNumber }));
    const bytes = encode(toCsv(rows), 'sjis');
    const before = await countEvents(t.runtime);
    const [a, b] = await Promise.all([importBytes(t.runtime, bytes, m, { batchSize: 7 }), importBytes(t.runtime, bytes, m, { batchSize: 5 })]);
    expect(a.imported + b.imported).toBe(60);
    expect(a.duplicates + b.duplicates).toBe(60);
    expect([...a.rejected, ...b.rejected]).toEqual([]);
    const after = await countEvents(t.runtime);
    expect(after.RecipientRegistered.events - (before.RecipientRegistered?.events ?? 0)).toBe(60);
    expect(after.MyNumberClaimed.events - (before.MyNumberClaimed?.events ?? 0)).toBe(60);
  });
});
