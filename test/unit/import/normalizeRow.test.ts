import { describe, it, expect } from '@jest/globals';
import { normalizeRow } from '../../../src/import/normalizeRow.js';
import { breakCheckDigit, chiyoda, fakeRow, withMunicipalityCheckDigit } from '../../fixtures/csv/makeCsv.js';

const ok = (overrides: Record<string, string> = {}, options = {}) => {
  const r = normalizeRow(fakeRow(1, overrides), options);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r.value;
};
const errors = (overrides: Record<string, string | undefined> = {}, options = {}) => {
  const r = normalizeRow({ ...fakeRow(1), ...overrides }, options);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('normalizeRow', () => {
  it('produces the POST /v1/recipients body', () => {
    expect(ok()).toEqual({
      municipality: '131016',
      coupon: '0000000001',
      addressNumber: '0000900001',
      name: '試験 太郎',
      nameKana: 'シケン タロウ',
      birthDate: '1931-02-02',
      sex: 'M',
      address: '東京都千代田区見本町0-0-1',
      myNumber: fakeRow(1).myNumber,
    });
  });

  it.each([
    ['1', 'M'], ['2', 'F'], ['9', 'U'], ['0', 'U'],
    ['男', 'M'], ['女', 'F'], ['男性', 'M'], ['女性', 'F'], ['不明', 'U'],
    ['M', 'M'], ['F', 'F'], ['U', 'U'], ['m', 'M'], ['f', 'F'], ['u', 'U'],
    ['１', 'M'], ['２', 'F'], ['Ｍ', 'M'], [' 2 ', 'F'],
  ])('reads sex %j as %s', (input, expected) => expect(ok({ sex: input }).sex).toBe(expected));

  it('rejects an unknown sex code', () => {
    expect(errors({ sex: '3' })).toEqual([{ field: 'sex', code: 'INVALID_SEX', message: expect.stringContaining('sex') }]);
  });

  it('turns full-width digits into ASCII in every code and date', () => {
    const v = ok({ municipality: '１３１０１６', coupon: '０００００００００１', addressNumber: '０００９', birthDate: '１９７０－０３－０１', myNumber: [...fakeRow(1).myNumber].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('') });
    expect(v).toMatchObject({ municipality: '131016', coupon: '0000000001', addressNumber: '0009', birthDate: '1970-03-01', myNumber: fakeRow(1).myNumber });
  });

  it('turns half-width kana into full-width, with voiced marks composed', () => {
    expect(ok({ nameKana: 'ﾐﾎﾝ ﾀﾛｳ' }).nameKana).toBe('ミホン タロウ');
    expect(ok({ nameKana: 'ｼｹﾝ ﾊﾅｺﾞ' }).nameKana).toBe('シケン ハナゴ');
    expect(ok({ nameKana: 'ﾊﾟｰｸ' }).nameKana).toBe('パーク');
  });

  it('turns hiragana into katakana and collapses full-width spaces', () => {
    expect(ok({ nameKana: 'みほん　たろう' }).nameKana).toBe('ミホン タロウ');
  });

  it('rejects kana that is not kana', () => {
    expect(errors({ nameKana: '見本 太郎' })).toEqual([expect.objectContaining({ field: 'nameKana', code: 'INVALID_KANA' })]);
  });

  it('keeps CJK compatibility ideographs in names (NFKC would change the registered glyph)', () => {
    expect(ok({ name: '\uFA19田 太郎' }).name).toBe('\uFA19田 太郎');
    expect(ok({ name: 'ﾐﾎﾝ　ＡＢＣ' }).name).toBe('ミホン ABC');
  });

  it('reads era birth dates', () => {
    expect(ok({ birthDate: 'S45.03.01' }).birthDate).toBe('1970-03-01');
    expect(errors({ birthDate: '平成31年5月1日' })).toEqual([expect.objectContaining({ field: 'birthDate', code: 'DATE_OUTSIDE_ERA' })]);
  });

  it('reports a bad municipality check digit with the domain code', () => {
    expect(errors({ municipality: breakCheckDigit(chiyoda) })).toEqual([
      expect.objectContaining({ field: 'municipality', code: 'INVALID_MUNICIPALITY_CODE' }),
    ]);
  });

  it('reports a bad My Number check digit, a short coupon and a bad address number', () => {
    const e = errors({ myNumber: breakCheckDigit(fakeRow(1).myNumber), coupon: '123', addressNumber: 'a/b' });
    expect(e.map((x) => [x.field, x.code])).toEqual([
      ['coupon', 'INVALID_COUPON_NUMBER'],
      ['addressNumber', 'INVALID_ADDRESS_NUMBER'],
      ['myNumber', 'INVALID_MY_NUMBER'],
    ]);
  });

  it('reports every missing required field, and leaves optional ones out', () => {
    const e = errors({ coupon: '', addressNumber: ' ', name: undefined, nameKana: '', birthDate: '', sex: '' });
    expect(e.map((x) => [x.field, x.code])).toEqual([
      ['coupon', 'REQUIRED'], ['addressNumber', 'REQUIRED'], ['name', 'REQUIRED'], ['nameKana', 'REQUIRED'], ['birthDate', 'REQUIRED'], ['sex', 'REQUIRED'],
    ]);
    const v = ok({ address: '', myNumber: '' });
    expect(v).not.toHaveProperty('address');
    expect(v).not.toHaveProperty('myNumber');
  });

  it('uses the importing municipality when the column is absent and rejects a different one', () => {
    const { municipality: _, ...rest } = fakeRow(1);
    const r = normalizeRow(rest, { municipality: '131016' });
    expect(r.ok && r.value.municipality).toBe('131016');
    const other = withMunicipalityCheckDigit('01100');
    expect(errors({ municipality: other }, { municipality: '131016' })).toEqual([
      expect.objectContaining({ field: 'municipality', code: 'MUNICIPALITY_MISMATCH' }),
    ]);
    expect(errors({ municipality: '' })).toEqual([expect.objectContaining({ field: 'municipality', code: 'REQUIRED' })]);
  });

  it.each([['1', true], ['0', false], ['はい', true], ['いいえ', false], ['yes', true], ['FALSE', false]])(
    'reads medicalWorker %j',
    (input, expected) => expect(normalizeRow({ ...fakeRow(1), medicalWorker: input })).toMatchObject({ ok: true, value: { medicalWorker: expected } }),
  );

  it('rejects text that was not valid in the file encoding', () => {
    expect(errors({ name: '見\uFFFD' })).toEqual([expect.objectContaining({ field: 'name', code: 'INVALID_ENCODING' })]);
  });

  it('never puts a personal value into an error message', () => {
    const row = { municipality: '999999', coupon: '98765', addressNumber: 'x/7531', name: '秘密'.repeat(60), nameKana: '秘密カナ', birthDate: '1234-56-78', sex: 'Q7', address: '住所'.repeat(200), myNumber: '123456789013', medicalWorker: 'maybe' };
    const r = normalizeRow(row);
    expect(r.ok).toBe(false);
    const text = JSON.stringify(!r.ok && r.errors);
    for (const v of Object.values(row)) expect(text).not.toContain(v);
    for (const fragment of ['98765', '7531', '秘密', '1234', '56', 'Q7', '12345678', 'maybe']) expect(text).not.toContain(fragment);
  });
});
