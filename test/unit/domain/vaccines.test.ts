import { describe, expect, it } from '@jest/globals';
import { Maker, lotMatchesMaker, nextEligibleDate, normalizeLot, vaccineTable } from '../../../src/domain/index.js';

describe('vaccine table', () => {
  it('holds the MHLW primary-series intervals and booster months as data', () => {
    expect(Maker.options).toEqual(['pfizer', 'moderna', 'astrazeneca', 'novavax']);
    expect(Object.fromEntries(Maker.options.map((m) => [m, vaccineTable[m].primaryIntervalDays]))).toEqual({
      pfizer: 18,
      moderna: 20,
      astrazeneca: 27,
      novavax: 20,
    });
    expect(vaccineTable.novavax.boosterIntervalMonths).toBe(6);
    expect(vaccineTable.pfizer.boosterIntervalMonths).toBe(3);
  });

  it.each([
    ['pfizer', 'FA1234', true],
    ['pfizer', 'F1234', false],
    ['pfizer', '3001234', false],
    ['moderna', '3001234', true],
    ['moderna', 'FA1234', false],
    ['moderna', '300123', false],
    ['astrazeneca', 'ABV1234', true],
    ['novavax', 'ABC123', true],
    ['novavax', '', false],
    ['novavax', 'AB-12', false],
  ] as const)('lot of %s %j matches: %s', (maker, lot, expected) => expect(lotMatchesMaker(maker, lot)).toBe(expected));

  it('normalises lots typed in full width, lower case or with spaces', () => {
    expect(normalizeLot('ｆａ １２３４')).toBe('FA1234');
    expect(lotMatchesMaker('pfizer', normalizeLot('fa1234'))).toBe(true);
  });

  describe('next eligible date', () => {
    it.each([
      ['pfizer', '2021-06-01', '2021-06-19'],
      ['moderna', '2021-06-01', '2021-06-21'],
      ['astrazeneca', '2021-06-01', '2021-06-28'],
      ['novavax', '2021-06-01', '2021-06-21'],
    ] as const)('dose 2 after %s on %s: %s', (maker, date, next) =>
      expect(nextEligibleDate({ date, maker }, 2)).toBe(next),
    );

    it('a booster 3 calendar months after, by the booster product (Novavax 6)', () => {
      expect(nextEligibleDate({ date: '2021-11-30', maker: 'pfizer' }, 3, 'moderna')).toBe('2022-03-01');
      expect(nextEligibleDate({ date: '2021-11-30', vaccine: { maker: 'pfizer' } }, 3)).toBe('2022-03-01');
      expect(nextEligibleDate({ date: '2021-08-31', maker: 'pfizer' }, 4, 'novavax')).toBe('2022-03-01');
      expect(nextEligibleDate({ date: '2021-08-15', maker: 'pfizer' }, 3, 'novavax')).toBe('2022-02-15');
    });
  });
});
