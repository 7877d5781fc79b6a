import { describe, expect, it } from '@jest/globals';
import { BIRTH, COUPON, MUNICIPALITY, given, history, record, register } from './support/given.js';

const registered = history(register());
const dose1 = history(register(), record(1, '2021-06-01'));

describe('RecordVaccination', () => {
  it('records dose 1 with the figures statistics need', () => {
    given(...registered)
      .when(record(1, '2021-06-01', 'pfizer', 'fa 1234'))
      .then([
        {
          type: 'VaccinationRecorded',
          data: {
            doseNumber: 1,
            date: '2021-06-01',
            vaccine: { maker: 'pfizer', product: 'コミナティ筋注', lot: 'FA1234' },
            siteCode: '1312345678',
            source: 'manual',
            municipality: MUNICIPALITY,
            coupon: COUPON,
            sex: 'M',
            ageBand: '-64',
            medicalWorker: false,
            statsDelta: {
              remove: [],
              add: [
                {
                  date: '2021-06-01',
                  municipality: MUNICIPALITY,
                  prefecture: '13',
                  sex: 'M',
                  ageBand: '-64',
                  doseNumber: 1,
                  maker: 'pfizer',
                  medicalWorker: false,
                },
              ],
            },
          },
        },
      ]);
  });

  it('refuses a recipient that does not exist', () => {
    given().when(record(1, '2021-06-01')).then('RECIPIENT_NOT_FOUND');
  });

  it('refuses when the municipality/coupon given name another recipient', () => {
    given(...registered)
      .when({ ...record(1, '2021-06-01'), coupon: '0000000002' })
      .then('RECIPIENT_NOT_FOUND');
  });

  describe('dose number = valid doses + 1', () => {
    it('refuses dose 2 first', () => given(...registered).when(record(2, '2021-06-01')).then('DOSE_OUT_OF_ORDER', 'doseNumber'));
    it('refuses dose 1 twice', () => given(...dose1).when(record(1, '2021-07-01')).then('DOSE_OUT_OF_ORDER'));
    it('accepts dose 2 next', () => expect(given(...dose1).when(record(2, '2021-07-01')).result.ok).toBe(true));
  });

  describe('dates', () => {
    it('refuses a date in the future (today is allowed)', () => {
      given(...registered).when(record(1, '2024-06-02')).then('DATE_IN_FUTURE', 'date');
      expect(given(...registered).when(record(1, '2024-06-01')).result.ok).toBe(true);
    });
    it('refuses a date that is not a real date', () => given(...registered).when(record(1, '2021-02-30')).then('INVALID_DATE'));
    it('refuses a date before birth', () =>
      // Born after the first Pfizer doses: a date between the two is before birth, not before the product.
      given(...history(register({ birthDate: '2021-03-01' }))).when(record(1, '2021-02-20')).then('DATE_BEFORE_BIRTH'));
    it.each([
      ['pfizer', '2021-02-16', '2021-02-17', 'FA1234'],
      ['moderna', '2021-05-22', '2021-05-23', '3001234'],
      ['astrazeneca', '2021-08-22', '2021-08-23', 'AZ1'],
      ['novavax', '2022-05-24', '2022-05-25', 'NVX1'],
    ] as const)('refuses %s before its first use in Japan (%s), accepts it from %s', (maker, before, first, lot) => {
      given(...registered).when(record(1, before, maker, lot)).then('DATE_BEFORE_PRODUCT_AVAILABLE', 'date');
      expect(given(...registered).when(record(1, first, maker, lot)).result.ok).toBe(true);
    });
    it('refuses the 1995 Pfizer dose that reached open data', () =>
      given(...registered).when(record(1, '1995-06-01')).then('DATE_BEFORE_PRODUCT_AVAILABLE'));
    it('answers what the request alone gets wrong before anything about the person', () => {
      // Nobody is registered, and the person is too young: the request's own fault is what the answer names.
      given().when(record(1, '1995-06-01')).then('DATE_BEFORE_PRODUCT_AVAILABLE');
      given().when(record(1, '2021-06-01', 'pfizer', '12')).then('INVALID_LOT');
      const baby = history(register({ birthDate: '2024-01-01' }));
      given(...baby).when(record(1, '2020-01-01')).then('DATE_BEFORE_PRODUCT_AVAILABLE');
      given(...baby).when(record(5, '2099-01-01')).then('DATE_IN_FUTURE');
    });
    it('refuses a second dose dated before the first', () =>
      given(...dose1).when(record(2, '2021-05-01')).then('DOSE_OUT_OF_ORDER', 'date'));
    it('refuses two doses on one day', () => given(...dose1).when(record(2, '2021-06-01')).then('SAME_DAY_DOSE'));
  });

  describe('primary-series interval per maker, exactly at the boundary', () => {
    it.each([
      ['pfizer', '2021-06-18', '2021-06-19'],
      ['moderna', '2021-06-20', '2021-06-21'],
      ['astrazeneca', '2022-06-27', '2022-06-28'],
      ['novavax', '2022-06-20', '2022-06-21'],
    ] as const)('%s: refuses %s, accepts %s', (maker, tooEarly, first) => {
      // Dose 1 on the 1st of the month of the dates (each product in use by then).
      const events = history(register(), record(1, `${first.slice(0, 8)}01`, maker));
      given(...events).when(record(2, tooEarly, maker)).then('DOSE_INTERVAL_TOO_SHORT', 'date');
      expect(given(...events).when(record(2, first, maker)).result.ok).toBe(true);
    });

    it('tells the earliest date allowed', () => {
      const r = given(...dose1).when(record(2, '2021-06-10')).result;
      expect(!r.ok && r.error.details).toMatchObject({ earliest: '2021-06-19', minimum: '18 days' });
    });
  });

  describe('booster (dose 3+): calendar months', () => {
    const two = history(register(), record(1, '2021-10-01'), record(2, '2021-11-30'));
    it('3 months after 30 Nov is 1 Mar (30 Feb does not exist)', () => {
      given(...two).when(record(3, '2022-02-28')).then('DOSE_INTERVAL_TOO_SHORT');
      expect(given(...two).when(record(3, '2022-03-01', 'moderna')).result.ok).toBe(true);
    });
    it('Novavax as booster needs 6 months', () => {
      given(...two).when(record(3, '2022-05-29', 'novavax')).then('DOSE_INTERVAL_TOO_SHORT');
      expect(given(...two).when(record(3, '2022-05-30', 'novavax')).result.ok).toBe(true);
    });
    it('dose 4 also 3 months after dose 3', () => {
      const three = history(register(), record(1, '2021-10-01'), record(2, '2021-11-30'), record(3, '2022-03-01'));
      given(...three).when(record(4, '2022-05-31')).then('DOSE_INTERVAL_TOO_SHORT');
      expect(given(...three).when(record(4, '2022-06-01')).result.ok).toBe(true);
    });
  });

  describe('age', () => {
    const child = history(register({ birthDate: '2009-06-02' }));
    it('refuses pfizer the day before the 12th birthday, accepts on it', () => {
      given(...child).when(record(1, '2021-06-01')).then('AGE_NOT_ELIGIBLE');
      expect(given(...child).when(record(1, '2021-06-02')).result.ok).toBe(true);
    });
    it('refuses astrazeneca under 18', () => given(...child).when(record(1, '2024-01-01', 'astrazeneca')).then('AGE_NOT_ELIGIBLE'));
    it('bands a dose by age on the vaccination date', () => {
      const old = history(register({ birthDate: '1956-06-02' }));
      const r = given(...old).when(record(1, '2021-06-02')).events()[0];
      expect(r.type === 'VaccinationRecorded' && r.data.ageBand).toBe('65-');
      const y = given(...old).when(record(1, '2021-06-01')).events()[0];
      expect(y.type === 'VaccinationRecorded' && y.data.ageBand).toBe('-64');
    });
  });

  it('refuses a lot that does not fit the maker', () => {
    given(...registered).when(record(1, '2021-06-01', 'moderna', 'FA1234')).then('INVALID_LOT', 'vaccine.lot');
  });

  it('keeps the scan id and source of a scanned dose', () => {
    const e = given(...registered)
      .when({ ...record(1, '2021-06-01'), source: 'scan', scanId: 'scan-1' })
      .events()[0];
    expect(e.type === 'VaccinationRecorded' && [e.data.source, e.data.scanId]).toEqual(['scan', 'scan-1']);
  });

  it('the same scan id again writes nothing', () => {
    const scanned = { ...record(1, '2021-06-01'), source: 'scan' as const, scanId: 'scan-1' };
    const events = history(register(), scanned);
    given(...events).when({ ...scanned, doseNumber: 2, date: '2021-06-22' }).then([]);
    given(...events).when({ ...scanned, scanId: 'scan-2' }).then('DOSE_OUT_OF_ORDER');
  });

  it('a birth date is never copied into the dose figures', () => {
    const e = given(...registered).when(record(1, '2021-06-01')).events()[0];
    expect(JSON.stringify(e)).not.toContain(BIRTH);
  });
});
