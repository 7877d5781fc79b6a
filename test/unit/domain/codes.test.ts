import { describe, expect, it } from '@jest/globals';
import {
  municipalityCheckDigit,
  myNumberCheckDigit,
  parseCouponLine,
  parseCouponNumber,
  parseMunicipalityCode,
  parseMyNumber,
  prefectureOf,
} from '../../../src/domain/index.js';

describe('municipality code', () => {
  it.each(['131016', '011002', '141003', '271004'])('accepts %s', (code) => {
    expect(parseMunicipalityCode(code)).toEqual({ ok: true, value: code });
  });

  it('computes the check digit from digits 1–5', () => {
    expect(municipalityCheckDigit('13101')).toBe(6);
    expect(municipalityCheckDigit('01100')).toBe(2);
    expect(municipalityCheckDigit('14100')).toBe(3);
  });

  it.each([
    ['131017', 'check digit'],
    ['141002', 'check digit'],
    ['13101', '6 digits'],
    ['1310166', '6 digits'],
    ['13101a', '6 digits'],
    ['481003', 'prefecture'],
    ['001007', 'prefecture'],
  ])('refuses %s (%s)', (code, why) => {
    const r = parseMunicipalityCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_MUNICIPALITY_CODE');
      expect(r.error.message).toContain(why);
      expect(r.error.details?.field).toBe('municipality');
    }
  });

  it('folds full-width digits', () => {
    expect(parseMunicipalityCode('１３１０１６')).toEqual({ ok: true, value: '131016' });
  });

  it('gives the prefecture as the first two digits', () => {
    expect(prefectureOf('011002')).toBe('01');
    expect(prefectureOf('131016')).toBe('13');
  });
});

describe('My Number', () => {
  it('accepts a number whose check digit holds', () => {
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    expect(parseMyNumber('123456789018')).toEqual({ ok: true, value: '123456789018' });
  });

  it('gives 0 when the remainder is 0 or 1', () => {
    // r = 0 → 0; 00000000001: P1 = 1, Q1 = 2 → r = 2 → 11 − 2 = 9
    expect(myNumberCheckDigit('00000000000')).toBe(0);
    expect(myNumberCheckDigit('00000000001')).toBe(9);
    // r = 1: P1 = 6 → 12 mod 11 = 1
    expect(myNumberCheckDigit('00000000006')).toBe(0);
  });

  it.each(['123456789017', '12345678901', '1234567890188', '12345678901x'])('refuses %s without echoing it', (n) => {
    const r = parseMyNumber(n);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_MY_NUMBER');
      expect(r.error.message).not.toContain('1234');
    }
  });
});

describe('coupon number', () => {
  it('accepts 10 digits', () => expect(parseCouponNumber('0123456789')).toEqual({ ok: true, value: '0123456789' }));
  it.each(['012345678', '01234567890', '012345678a'])('refuses %s', (c) => {
    const r = parseCouponNumber(c);
    expect(r.ok ? 'accepted' : r.error.code).toBe('INVALID_COUPON_NUMBER');
  });
});

describe('coupon line (券種 回数 市町村コード 券番号)', () => {
  it('splits a valid 18-digit line', () => {
    expect(parseCouponLine('1 2 131016 0123456789')).toEqual({
      ok: true,
      value: { ticketType: '1', dose: 2, municipality: '131016', coupon: '0123456789', line: '121310160123456789' },
    });
  });

  it.each([
    ['12131016012345678', 'length'],
    ['1213101601234567890', 'length'],
    ['12131016012345678X', 'characters'],
    ['101310160123456789', 'dose'],
    ['181310160123456789', 'dose'],
    ['121310170123456789', 'municipality'],
    ['129910000123456789', 'municipality'],
  ])('refuses %s: the %s part', (line, part) => {
    const r = parseCouponLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_COUPON_LINE');
      expect(r.error.details?.part).toBe(part);
    }
  });

  it('accepts full-width digits and spaces from OCR', () => {
    const r = parseCouponLine('１１　０１１００２　９９９９９９９９９９');
    expect(r.ok && r.value.municipality).toBe('011002');
  });
});
