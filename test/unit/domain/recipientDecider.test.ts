import { describe, expect, it } from '@jest/globals';
import { RecipientCommand, recipientDecider, type RecipientCommandInput, type RecipientEvent } from '../../../src/domain/index.js';
import { deciderSpec } from './support/deciderSpec.js';
import { BIRTH, COUPON, MUNICIPALITY, TODAY, history, record, register } from './support/given.js';

const given = deciderSpec(recipientDecider);
const command = (c: RecipientCommandInput) => RecipientCommand.parse(c);

const figures = { date: '2021-06-01', municipality: MUNICIPALITY, prefecture: '13', sex: 'M', ageBand: '-64', doseNumber: 1, maker: 'pfizer', medicalWorker: false } as const;
// Fixtures made through the same decider (register.test.ts and record.test.ts hold the events' every field).
const [registered, firstDose] = history(register(), record(1, '2021-06-01'));

describe('recipientDecider: given events, when a command, then events or a refusal', () => {
  it('starts from an empty stream, a fresh state each time', () => {
    expect(recipientDecider.initialState()).toEqual({ kind: 'empty' });
    expect(recipientDecider.initialState()).not.toBe(recipientDecider.initialState());
  });

  it('given nothing, when RegisterRecipient, then RecipientRegistered, personal data under `personal`', () => {
    const events = given().when(command(register())).events();
    expect(events).toEqual([registered]);
    expect(events[0]).toMatchObject({ type: 'RecipientRegistered', data: { municipality: MUNICIPALITY, coupon: COUPON, personal: { name: '山田 太郎', birthDate: BIRTH } } });
  });

  it('given a registration, when RegisterRecipient again, then ALREADY_REGISTERED', () => {
    given(registered).when(command(register())).thenRefuses('ALREADY_REGISTERED');
  });

  it('given nothing, when RecordVaccination, then RECIPIENT_NOT_FOUND', () => {
    given().when(command(record(1, '2021-06-01'))).thenRefuses('RECIPIENT_NOT_FOUND');
  });

  it('given a registration, when the first dose is recorded, then VaccinationRecorded with its figures', () => {
    const events = given(registered).when(command(record(1, '2021-06-01'))).events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'VaccinationRecorded', data: { doseNumber: 1, date: '2021-06-01', statsDelta: { remove: [], add: [figures] } } });
  });

  it('given a first dose, when the same dose number again, then refused', () => {
    given(registered, firstDose).when(command(record(1, '2021-07-01'))).thenRefuses('DOSE_OUT_OF_ORDER', 'doseNumber');
  });

  it('given a first dose, when it is voided, then VaccinationVoided taking its figures back', () => {
    given(registered, firstDose)
      .when(command({ type: 'VoidVaccination', today: TODAY, doseNumber: 1, reason: '誤登録' }))
      .then([{ type: 'VaccinationVoided', data: { doseNumber: 1, reason: '誤登録', statsDelta: { remove: [figures], add: [] } } }]);
  });

  it('given an erasure, when a dose is recorded, then RECIPIENT_NOT_ACTIVE', () => {
    const erased: RecipientEvent = { type: 'PersonalDataErased', data: { reason: '本人の申出' } };
    given(registered, firstDose, erased).when(command(record(2, '2021-06-22'))).thenRefuses('RECIPIENT_NOT_ACTIVE');
  });

  it('evolve folds what decide produced: the state the next command sees holds the dose', () => {
    const { state } = given(registered, firstDose).when(command(record(2, '2021-06-22')));
    expect(state).toMatchObject({ kind: 'registered', status: 'active', doses: [{ doseNumber: 1, voided: false, figures }] });
  });
});
