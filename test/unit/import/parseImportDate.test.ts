import { describe, it, expect } from '@jest/globals';
import { parseImportDate } from '../../../src/import/parseImportDate.js';

const value = (s: string) => {
  const r = parseImportDate(s.normalize('NFKC'));
  return r.ok ? r.value : r.code;
};

describe('parseImportDate', () => {
  it.each([
    ['1970-03-01', '1970-03-01'],
    ['1970/3/1', '1970-03-01'],
    ['19700301', '1970-03-01'],
    ['1970年3月1日', '1970-03-01'],
    ['１９７０／０３／０１', '1970-03-01'],
  ])('reads the Gregorian form %s', (input, expected) => expect(value(input)).toBe(expected));

  it.each([
    ['昭和45年3月1日', '1970-03-01'],
    ['S45.03.01', '1970-03-01'],
    ['s45.3.1', '1970-03-01'],
    ['S45/3/1', '1970-03-01'],
    ['昭45.3.1', '1970-03-01'],
    ['Ｓ４５．０３．０１', '1970-03-01'],
    ['㍼45年3月1日', '1970-03-01'],
    ['R3.5.1', '2021-05-01'],
    ['令和3年5月1日', '2021-05-01'],
    ['H1.1.8', '1989-01-08'],
    ['平成元年1月8日', '1989-01-08'],
    ['H元.1.8', '1989-01-08'],
    ['大正5年4月1日', '1916-04-01'],
    ['T5.4.1', '1916-04-01'],
    ['明治40年1月1日', '1907-01-01'],
    ['M40.1.1', '1907-01-01'],
  ])('reads the era form %s', (input, expected) => expect(value(input)).toBe(expected));

  it.each([
    // last and first day of each era
    ['明治45年7月29日', '1912-07-29'],
    ['大正元年7月30日', '1912-07-30'],
    ['大正15年12月24日', '1926-12-24'],
    ['昭和元年12月25日', '1926-12-25'],
    ['昭和64年1月7日', '1989-01-07'],
    ['平成元年1月8日', '1989-01-08'],
    ['平成31年4月30日', '2019-04-30'],
    ['令和元年5月1日', '2019-05-01'],
  ])('accepts the era boundary day %s', (input, expected) => expect(value(input)).toBe(expected));

  it.each([
    '明治45年7月30日',
    '大正元年7月29日',
    '大正15年12月25日',
    '昭和元年12月24日',
    '昭和64年1月8日',
    'S64.1.8',
    '平成元年1月7日',
    'H1.1.7',
    '平成31年5月1日',
    'H31.5.1',
    '令和元年4月30日',
    'R1.4.30',
  ])('rejects %s as outside its era', (input) => expect(value(input)).toBe('DATE_OUTSIDE_ERA'));

  it.each(['1970-02-30', '19700230', '昭和45年2月30日', 'S0.1.1', '2021-13-01', 'X45.1.1', '昭和45年', '', 'yesterday', '1970-3'])(
    'rejects %j as not a date',
    (input) => expect(value(input)).toBe('INVALID_DATE'),
  );

  it('does not echo the input in the reason', () => {
    const r = parseImportDate('1970-02-30');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain('1970');
  });
});
