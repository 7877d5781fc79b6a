import { describe, expect, it } from '@jest/globals';
import {
  addCalendarMonths,
  addDays,
  ageBand,
  ageOn,
  daysBetween,
  isCalendarDate,
  isKatakanaName,
  normalizeKana,
  tokyoToday,
} from '../../../src/domain/index.js';

describe('calendar dates', () => {
  it.each(['2024-02-29', '2021-12-31', '2000-02-29'])('%s is a real date', (d) => expect(isCalendarDate(d)).toBe(true));
  it.each(['2023-02-29', '1900-02-29', '2021-04-31', '2021-13-01', '2021-00-10', '2021-1-1', '20210101', '', '2021-01-01T00:00'])(
    '%s is not',
    (d) => expect(isCalendarDate(d)).toBe(false),
  );

  it('adds days across months, years and leap days', () => {
    expect(addDays('2021-02-28', 1)).toBe('2021-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2021-12-14', 18)).toBe('2022-01-01');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
  });

  it('counts days between', () => {
    expect(daysBetween('2021-01-01', '2021-01-19')).toBe(18);
    expect(daysBetween('2021-01-19', '2021-01-01')).toBe(-18);
    expect(daysBetween('2020-01-01', '2021-01-01')).toBe(366);
  });

  describe('calendar months (MHLW: same day, or the 1st of the next month)', () => {
    it.each([
      ['2021-01-15', 3, '2021-04-15'],
      ['2021-01-31', 3, '2021-05-01'], // 31 Apr does not exist
      ['2021-11-30', 3, '2022-03-01'], // 30 Feb does not exist
      ['2023-11-29', 3, '2024-02-29'], // leap year: 29 Feb exists
      ['2022-11-29', 3, '2023-03-01'],
      ['2021-10-31', 3, '2022-01-31'], // over the year end
      ['2021-12-31', 6, '2022-07-01'], // 31 Jun does not exist
      ['2021-08-31', 6, '2022-03-01'], // not 3 Mar, as Date's overflow would give
    ])('%s + %i months = %s', (from, n, to) => expect(addCalendarMonths(from, n)).toBe(to));
  });

  describe('age in whole years', () => {
    it('turns over on the birthday', () => {
      expect(ageOn('2009-06-01', '2021-05-31')).toBe(11);
      expect(ageOn('2009-06-01', '2021-06-01')).toBe(12);
    });
    it('a 29 Feb birthday turns over on 1 Mar in a common year, on 29 Feb in a leap year', () => {
      expect(ageOn('2008-02-29', '2021-02-28')).toBe(12);
      expect(ageOn('2008-02-29', '2021-03-01')).toBe(13);
      expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    });
    it('bands ages at 65 on the vaccination date', () => {
      expect(ageBand('1956-04-01', '2021-03-31')).toBe('-64');
      expect(ageBand('1956-04-01', '2021-04-01')).toBe('65-');
      expect(ageBand(null, '2021-04-01')).toBe('UNK');
    });
  });

  describe('Tokyo calendar day', () => {
    it('is the next day in Japan from 15:00 UTC', () => {
      expect(tokyoToday(new Date('2021-12-31T14:59:59Z'))).toBe('2021-12-31');
      expect(tokyoToday(new Date('2021-12-31T15:00:00Z'))).toBe('2022-01-01');
    });
  });
});

describe('kana', () => {
  it('folds half-width kana, hiragana and full-width spaces into katakana with one space', () => {
    expect(normalizeKana('ﾔﾏﾀﾞ　ﾀﾛｳ')).toBe('ヤマダ タロウ');
    expect(normalizeKana('やまだ   はなこ ')).toBe('ヤマダ ハナコ');
    expect(normalizeKana('ｽﾐｽ･ｼﾞｮｰﾝ')).toBe('スミス・ジョーン');
  });
  it('accepts katakana names with 長音, middle dot and spaces', () => {
    expect(isKatakanaName('スミス・ジョーン')).toBe(true);
    expect(isKatakanaName('ヴァン デル')).toBe(true);
  });
  it.each(['山田 タロウ', 'YAMADA', 'ヤマダ1', '', ' ', 'ヤマダ  タロウ'])('refuses %j', (s) =>
    expect(isKatakanaName(s)).toBe(false),
  );
});
