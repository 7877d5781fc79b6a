import { describe, expect, it } from '@jest/globals';
import {
  TransferRecipient,
  decideTransfer,
  foldRecipient,
  initialState,
  toVaccinationStatus,
  type RecipientEvent,
} from '../../../src/domain/index.js';
import { COUPON, MUNICIPALITY, OTHER_MUNICIPALITY, TODAY, given, history, record, register } from './support/given.js';

const NEW_COUPON = '0000000099';
const MY_NUMBER = '123456789018';
const OTHER_MY_NUMBER = '123456789026';
const NOW = '2024-06-01T01:00:00.000Z';
const source = history(register({ myNumber: MY_NUMBER }), record(1, '2021-06-01'), record(2, '2021-06-22', 'pfizer', 'FB0001'));

const transfer = (over: Partial<TransferRecipient['to']> = {}, proof: Partial<Pick<TransferRecipient, 'myNumber' | 'consent'>> = {}): TransferRecipient => ({
  type: 'TransferRecipient',
  today: TODAY,
  now: NOW,
  from: { municipality: MUNICIPALITY, coupon: COUPON },
  myNumber: MY_NUMBER,
  consent: { method: 'in-person', at: '2024-06-01T09:30:00+09:00' },
  ...proof,
  to: { municipality: OTHER_MUNICIPALITY, coupon: NEW_COUPON, addressNumber: 'Y-7', address: '横浜市1-2', ...over },
});

const run = (fromEvents: RecipientEvent[], command = transfer(), toEvents: RecipientEvent[] = []) =>
  decideTransfer(command, foldRecipient(fromEvents), foldRecipient(toEvents, initialState()));

describe('Transfer', () => {
  it('closes the old registration and opens the new one with the doses carried', () => {
    const r = run(source);
    if (!r.ok) throw r.error;
    expect(r.value.from).toEqual([
      { type: 'RecipientTransferredOut', data: { toMunicipality: OTHER_MUNICIPALITY, toCoupon: NEW_COUPON, date: TODAY } },
    ]);
    const [registered, transferredIn] = r.value.to;
    expect(registered).toMatchObject({
      type: 'RecipientRegistered',
      data: {
        municipality: OTHER_MUNICIPALITY,
        coupon: NEW_COUPON,
        personal: { name: '山田 太郎', address: '横浜市1-2', myNumber: '123456789018' },
      },
    });
    expect(transferredIn.type === 'RecipientTransferredIn' && transferredIn.data.doses).toEqual([
      expect.objectContaining({ doseNumber: 1, municipality: MUNICIPALITY, coupon: COUPON, figures: expect.objectContaining({ municipality: MUNICIPALITY }) }),
      expect.objectContaining({ doseNumber: 2, vaccine: expect.objectContaining({ lot: 'FB0001' }) }),
    ]);
    // The person's consent, as the clerk recorded it (normalised to UTC).
    expect(transferredIn.type === 'RecipientTransferredIn' && transferredIn.data.consent).toEqual({ method: 'in-person', at: '2024-06-01T00:30:00.000Z' });
    // No count moves on a transfer.
    expect(JSON.stringify(r.value)).not.toContain('statsDelta');
  });

  it('the new registration continues the count and the interval rule', () => {
    const r = run(source);
    if (!r.ok) throw r.error;
    const moved = r.value.to;
    given(...moved).when({ ...record(1, '2021-12-01'), today: TODAY }).then('DOSE_OUT_OF_ORDER');
    given(...moved).when(record(3, '2021-09-21')).then('DOSE_INTERVAL_TOO_SHORT');
    const e = given(...moved).when(record(3, '2021-09-22')).events()[0];
    expect(e.type === 'VaccinationRecorded' && [e.data.municipality, e.data.coupon, e.data.statsDelta.add[0].municipality]).toEqual([
      OTHER_MUNICIPALITY,
      NEW_COUPON,
      OTHER_MUNICIPALITY,
    ]);
    const state = foldRecipient(moved);
    if (state.kind !== 'registered') throw new Error('not registered');
    expect(toVaccinationStatus(state)).toMatchObject({ status: 'active', nextEligibleDate: '2021-09-22' });
    expect(state.transferredFrom).toEqual({ municipality: MUNICIPALITY, coupon: COUPON });
  });

  it('the old registration is no longer active', () => {
    const r = run(source);
    if (!r.ok) throw r.error;
    const old = [...source, ...r.value.from];
    given(...old).when(record(3, '2022-01-10')).then('RECIPIENT_NOT_ACTIVE');
    const state = foldRecipient(old);
    if (state.kind !== 'registered') throw new Error('not registered');
    expect(toVaccinationStatus(state)).toMatchObject({ status: 'transferred-out', nextEligibleDate: null });
    const again = run(old);
    expect(again.ok ? 'accepted' : again.error.code).toBe('RECIPIENT_NOT_ACTIVE');
  });

  it('a voided dose is not carried', () => {
    const withVoid = history(
      register({ myNumber: MY_NUMBER }),
      record(1, '2021-06-01'),
      record(2, '2021-06-22'),
      { type: 'VoidVaccination', today: TODAY, doseNumber: 2, reason: '誤登録' },
    );
    const r = run(withVoid);
    if (!r.ok) throw r.error;
    const t = r.value.to[1];
    expect(t.type === 'RecipientTransferredIn' && t.data.doses.map((d) => d.doseNumber)).toEqual([1]);
  });

  it.each([
    ['the same municipality', transfer({ municipality: MUNICIPALITY }), source, [], 'TRANSFER_SAME_MUNICIPALITY'],
    ['a bad municipality code', transfer({ municipality: '141004' }), source, [], 'INVALID_MUNICIPALITY_CODE'],
    ['a bad coupon', transfer({ coupon: '99' }), source, [], 'INVALID_COUPON_NUMBER'],
    ['an unknown source', transfer(), [], [], 'RECIPIENT_NOT_FOUND'],
    ['a My Number with a bad check digit', transfer({}, { myNumber: '123456789019' }), source, [], 'INVALID_MY_NUMBER'],
    ['a consent in the future', transfer({}, { consent: { method: 'written', at: '2024-06-01T01:00:01Z' } }), source, [], 'INVALID_CONSENT'],
    ['a taken target coupon', transfer(), source, history(register({ municipality: OTHER_MUNICIPALITY, coupon: NEW_COUPON })), 'ALREADY_REGISTERED'],
  ] as const)('refuses %s', (_why, command, fromEvents, toEvents, code) => {
    const r = run([...fromEvents], command, [...toEvents]);
    expect(r.ok ? 'accepted' : r.error.code).toBe(code);
  });

  describe('the My Number proves who moves: every unproved source is the same refusal', () => {
    const refusal = (fromEvents: RecipientEvent[], command = transfer()) => {
      const r = run(fromEvents, command);
      if (r.ok) throw new Error('accepted');
      return { code: r.error.code, message: r.error.message, details: r.error.details };
    };
    const unknown = refusal([]);

    it('is a plain RECIPIENT_NOT_FOUND naming no person', () => {
      expect(unknown.code).toBe('RECIPIENT_NOT_FOUND');
      expect(unknown.message).not.toContain(MY_NUMBER);
    });
    it.each([
      ['another My Number', source, transfer({}, { myNumber: OTHER_MY_NUMBER })],
      ['a registration without My Number', history(register(), record(1, '2021-06-01')), transfer()],
      ['an erased person', history(register({ myNumber: MY_NUMBER }), { type: 'ErasePersonalData', today: TODAY, reason: '保存期間満了' }), transfer()],
      ['another coupon than the one registered', history(register({ myNumber: MY_NUMBER, coupon: '0000000002' })), transfer()],
    ] as const)('%s', (_why, fromEvents, command) => {
      expect(refusal([...fromEvents], command)).toEqual(unknown);
    });
    it('says nothing of a moved-out registration until the My Number matches', () => {
      const r = run(source, transfer());
      if (!r.ok) throw r.error;
      const old = [...source, ...r.value.from];
      expect(refusal(old, transfer({}, { myNumber: OTHER_MY_NUMBER }))).toEqual(unknown);
      expect(refusal(old).code).toBe('RECIPIENT_NOT_ACTIVE');
    });
  });
});
