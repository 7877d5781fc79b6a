import { describe, expect, it } from '@jest/globals';
import { evolve, foldRecipient, toVaccinationStatus, type RecipientEvent, type RecipientState } from '../../../src/domain/index.js';
import { BIRTH, TODAY, given, history, record, register } from './support/given.js';

const erase = (reason = '保存期間満了') => ({ type: 'ErasePersonalData', today: TODAY, reason }) as const;
const lived = history(register(), record(1, '2021-06-01'), record(2, '2021-06-22'));

/** What the persistence layer hands evolve once the data key is gone: personal fields become null. */
const asUnreadable = (events: RecipientEvent[]): RecipientEvent[] =>
  events.map((e) =>
    e.type === 'RecipientRegistered'
      ? { ...e, data: { ...e.data, personal: null } }
      : e.type === 'RecipientDetailsCorrected'
        ? { ...e, data: { ...e.data, personal: null } }
        : e,
  );

const registered = (s: RecipientState) => {
  if (s.kind !== 'registered') throw new Error('not registered');
  return s;
};

describe('ErasePersonalData', () => {
  it('appends PersonalDataErased with the reason', () => {
    given(...lived).when(erase()).then([{ type: 'PersonalDataErased', data: { reason: '保存期間満了' } }]);
  });

  it('refuses twice, without a reason, or an unknown recipient', () => {
    const erased = history(register(), erase());
    given(...erased).when(erase()).then('PERSONAL_DATA_ERASED');
    given(...lived).when(erase('')).then('REASON_REQUIRED');
    given().when(erase()).then('RECIPIENT_NOT_FOUND');
  });

  it('after erasure: person null, doses and their figures kept, nothing more may be written', () => {
    const events = [...asUnreadable(lived), { type: 'PersonalDataErased', data: { reason: 'x' } } as RecipientEvent];
    const state = registered(foldRecipient(events));
    expect(state.person).toBeNull();
    expect(state.status).toBe('erased');
    const status = toVaccinationStatus(state);
    expect(status).toMatchObject({ status: 'erased', person: null, nextEligibleDate: null });
    expect(status.doses.map((d) => d.doseNumber)).toEqual([1, 2]);
    expect(state.doses.map((d) => d.figures.ageBand)).toEqual(['-64', '-64']);
    given(...events).when(record(3, '2022-01-10')).then('RECIPIENT_NOT_ACTIVE');
    given(...events)
      .when({ type: 'CorrectRecipientDetails', today: TODAY, changes: { sex: 'F' }, reason: 'x' })
      .then('PERSONAL_DATA_ERASED');
  });

  it('a details correction read without its key leaves the person unknown', () => {
    const s = evolve(foldRecipient(asUnreadable(lived)), {
      type: 'RecipientDetailsCorrected',
      data: { changes: {}, personal: null, reason: 'x', statsDelta: { remove: [], add: [] } },
    });
    expect(registered(s).person).toBeNull();
  });
});

describe('接種状況 view', () => {
  it('shows person with sex, valid doses, and the next date; never the My Number or address', () => {
    const state = registered(foldRecipient(history(register({ myNumber: '123456789018', address: '千代田区1' }), record(1, '2021-06-01'))));
    const status = toVaccinationStatus(state);
    expect(status).toEqual({
      status: 'active',
      person: { name: '山田 太郎', nameKana: 'ヤマダ タロウ', birthDate: BIRTH, sex: 'M' },
      doses: [
        { doseNumber: 1, date: '2021-06-01', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: '1312345678', source: 'manual', corrected: false },
      ],
      nextEligibleDate: '2021-06-19',
    });
    expect(JSON.stringify(status)).not.toContain('123456789018');
  });

  it('is null for a recipient that does not exist', () => {
    expect(toVaccinationStatus({ kind: 'empty' })).toBeNull();
  });

  it('with no dose, the next date is the 12th birthday', () => {
    const state = registered(foldRecipient(history(register({ birthDate: '2012-03-15' }))));
    expect(toVaccinationStatus(state).nextEligibleDate).toBe('2024-03-15');
  });
});
