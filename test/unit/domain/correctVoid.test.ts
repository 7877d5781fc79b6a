import { describe, expect, it } from '@jest/globals';
import { foldRecipient, toVaccinationStatus, type DoseFigures } from '../../../src/domain/index.js';
import { MUNICIPALITY, TODAY, given, history, record, register } from './support/given.js';

const two = history(register(), record(1, '2021-06-01'), record(2, '2021-06-22'));

const correct = (doseNumber: number, changes: Record<string, unknown>, reason = '入力誤り') =>
  ({ type: 'CorrectVaccination', today: TODAY, doseNumber, changes, reason }) as const;
const voidDose = (doseNumber: number, reason = '別人に記録') => ({ type: 'VoidVaccination', today: TODAY, doseNumber, reason }) as const;

const figures = (over: Partial<DoseFigures>): DoseFigures => ({
  date: '2021-06-01',
  municipality: MUNICIPALITY,
  prefecture: '13',
  sex: 'M',
  ageBand: '-64',
  doseNumber: 1,
  maker: 'pfizer',
  medicalWorker: false,
  ...over,
});

describe('CorrectVaccination', () => {
  it('moves a date when the history still keeps the interval, and moves the count', () => {
    given(...two)
      .when(correct(1, { date: '2021-06-04' }))
      .then([
        {
          type: 'VaccinationCorrected',
          data: {
            doseNumber: 1,
            changes: { date: '2021-06-04' },
            reason: '入力誤り',
            statsDelta: { remove: [figures({})], add: [figures({ date: '2021-06-04' })] },
          },
        },
      ]);
  });

  it('refuses a date that would break the interval to the next dose', () => {
    given(...two).when(correct(1, { date: '2021-06-05' })).then('DOSE_INTERVAL_TOO_SHORT', 'date');
  });

  it('refuses a date that would break the interval from the previous dose', () => {
    given(...two).when(correct(2, { date: '2021-06-18' })).then('DOSE_INTERVAL_TOO_SHORT');
  });

  it('refuses putting dose 2 before dose 1, or on the same day', () => {
    given(...two).when(correct(2, { date: '2021-05-01' })).then('DOSE_OUT_OF_ORDER');
    given(...two).when(correct(2, { date: '2021-06-01' })).then('SAME_DAY_DOSE');
  });

  it('refuses a future date and a date before birth', () => {
    given(...two).when(correct(2, { date: '2024-06-02' })).then('DATE_IN_FUTURE');
    given(...two).when(correct(1, { date: '1979-12-31' })).then('DATE_BEFORE_PRODUCT_AVAILABLE');
    // (Before birth is now also before every product for anyone old enough to have a dose: the product rule answers.)
  });

  it('a lot correction moves no count', () => {
    given(...two)
      .when(correct(2, { vaccine: { lot: 'fb9999' } }))
      .then([
        {
          type: 'VaccinationCorrected',
          data: { doseNumber: 2, changes: { vaccine: { lot: 'FB9999' } }, reason: '入力誤り', statsDelta: { remove: [], add: [] } },
        },
      ]);
  });

  it('a maker correction needs a lot of that maker and must keep that maker’s interval', () => {
    given(...two).when(correct(2, { vaccine: { maker: 'moderna' } })).then('INVALID_LOT');
    const e = given(...two).when(correct(2, { vaccine: { maker: 'moderna', lot: '3009999' } })).events()[0];
    expect(e.type === 'VaccinationCorrected' && e.data.statsDelta.add[0].maker).toBe('moderna');
    // AstraZeneca was not given in Japan before 2021-08-23
    given(...two).when(correct(1, { vaccine: { maker: 'astrazeneca', lot: 'AZ1' } })).then('DATE_BEFORE_PRODUCT_AVAILABLE');
    // dose 1 as AstraZeneca needs 27 days before dose 2 (21 days later)
    const later = history(register(), record(1, '2022-06-01'), record(2, '2022-06-22'));
    given(...later).when(correct(1, { vaccine: { maker: 'astrazeneca', lot: 'AZ1' } })).then('DOSE_INTERVAL_TOO_SHORT');
  });

  it('a date moved over the 65th birthday moves the age band', () => {
    const old = history(register({ birthDate: '1956-06-10' }), record(1, '2021-06-01'));
    const e = given(...old).when(correct(1, { date: '2021-06-10' })).events()[0];
    expect(e.type === 'VaccinationCorrected' && e.data.statsDelta).toEqual({
      remove: [figures({})],
      add: [figures({ date: '2021-06-10', ageBand: '65-' })],
    });
  });

  it('refuses without a reason, without a change, or for a dose that is not there', () => {
    given(...two).when(correct(1, { date: '2021-06-04' }, '  ')).then('REASON_REQUIRED', 'reason');
    given(...two).when(correct(1, { date: '2021-06-01', vaccine: { lot: 'fa1234' } })).then('NO_CHANGES');
    given(...two).when(correct(1, {})).then('NO_CHANGES');
    given(...two).when(correct(3, { date: '2021-12-01' })).then('DOSE_NOT_FOUND');
  });

  it('refuses a voided dose', () => {
    given(...history(register(), record(1, '2021-06-01'), record(2, '2021-06-22'), voidDose(2)))
      .when(correct(2, { date: '2021-06-25' }))
      .then('DOSE_ALREADY_VOIDED');
  });

  it('shows the dose as corrected in 接種状況', () => {
    const events = history(register(), record(1, '2021-06-01'), correct(1, { vaccine: { lot: 'FC0001' } }));
    const state = foldRecipient(events);
    if (state.kind !== 'registered') throw new Error('not registered');
    expect(toVaccinationStatus(state).doses[0]).toMatchObject({ corrected: true, vaccine: { maker: 'pfizer', lot: 'FC0001' } });
  });
});

describe('VoidVaccination', () => {
  it('voids the last valid dose and removes its count', () => {
    given(...two)
      .when(voidDose(2))
      .then([
        {
          type: 'VaccinationVoided',
          data: {
            doseNumber: 2,
            reason: '別人に記録',
            statsDelta: { remove: [figures({ date: '2021-06-22', doseNumber: 2 })], add: [] },
          },
        },
      ]);
  });

  it('refuses voiding a dose other than the last valid one (the numbering would break)', () => {
    given(...two).when(voidDose(1)).then('DOSE_NOT_LAST', 'doseNumber');
  });

  it('after a void the same dose number is recorded again, and the voided one stays voided', () => {
    const voided = history(register(), record(1, '2021-06-01'), record(2, '2021-06-22'), voidDose(2));
    given(...voided).when(voidDose(2)).then('DOSE_ALREADY_VOIDED');
    given(...voided).when(record(3, '2021-12-01')).then('DOSE_OUT_OF_ORDER');
    const again = [...voided, ...given(...voided).when(record(2, '2021-06-25')).events()];
    expect(given(...again).when(voidDose(2)).result.ok).toBe(true);
    const state = foldRecipient(again);
    if (state.kind !== 'registered') throw new Error('not registered');
    expect(toVaccinationStatus(state).doses.map((d) => d.date)).toEqual(['2021-06-01', '2021-06-25']);
  });

  it('refuses without a reason, or a dose never recorded', () => {
    given(...two).when(voidDose(2, '')).then('REASON_REQUIRED');
    given(...two).when(voidDose(5)).then('DOSE_NOT_FOUND');
    given(...history(register())).when(voidDose(1)).then('DOSE_NOT_FOUND');
  });
});
