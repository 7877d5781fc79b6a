import { describe, expect, it } from '@jest/globals';
import { foldRecipient } from '../../../src/domain/index.js';
import { TODAY, given, history, record, register } from './support/given.js';

const correctDetails = (changes: Record<string, unknown>, reason = '届出による訂正') =>
  ({ type: 'CorrectRecipientDetails', today: TODAY, changes, reason }) as const;

// Born 1956-06-10: dose 1 at 64 (-64), dose 2 at 65 (65-).
const events = history(register({ birthDate: '1956-06-10' }), record(1, '2021-05-20'), record(2, '2021-06-10'));

describe('CorrectRecipientDetails', () => {
  it('a name correction goes under personal and moves no count', () => {
    given(...events)
      .when(correctDetails({ name: '山田 次郎', nameKana: 'やまだ じろう' }))
      .then([
        {
          type: 'RecipientDetailsCorrected',
          data: {
            changes: {},
            personal: { name: '山田 次郎', nameKana: 'ヤマダ ジロウ' },
            reason: '届出による訂正',
            statsDelta: { remove: [], add: [] },
          },
        },
      ]);
  });

  it('a birth-date correction moves the age bands of the doses it changes', () => {
    const e = given(...events).when(correctDetails({ birthDate: '1956-05-01' })).events()[0];
    if (e.type !== 'RecipientDetailsCorrected') throw new Error(e.type);
    expect(e.data.personal).toEqual({ birthDate: '1956-05-01' });
    expect(e.data.statsDelta.remove).toEqual([expect.objectContaining({ doseNumber: 1, ageBand: '-64' })]);
    expect(e.data.statsDelta.add).toEqual([expect.objectContaining({ doseNumber: 1, ageBand: '65-', date: '2021-05-20' })]);
    const state = foldRecipient([...events, e]);
    if (state.kind !== 'registered') throw new Error('not registered');
    expect(state.person?.birthDate).toBe('1956-05-01');
    expect(state.doses.map((d) => d.figures.ageBand)).toEqual(['65-', '65-']);
  });

  it('a sex correction moves every dose', () => {
    const e = given(...events).when(correctDetails({ sex: 'F' })).events()[0];
    if (e.type !== 'RecipientDetailsCorrected') throw new Error(e.type);
    expect(e.data.changes).toEqual({ sex: 'F' });
    expect(e.data.personal).toBeUndefined();
    expect(e.data.statsDelta.remove.map((f) => f.sex)).toEqual(['M', 'M']);
    expect(e.data.statsDelta.add.map((f) => f.sex)).toEqual(['F', 'F']);
  });

  it('refuses a birth date after a dose, or one that makes a dose under age', () => {
    given(...events).when(correctDetails({ birthDate: '2021-06-01' })).then('DATE_BEFORE_BIRTH', 'changes.birthDate');
    given(...events).when(correctDetails({ birthDate: '2010-01-01' })).then('AGE_NOT_ELIGIBLE', 'changes.birthDate');
  });

  it('refuses bad values, no change, no reason', () => {
    given(...events).when(correctDetails({ birthDate: '2030-01-01' })).then('DATE_IN_FUTURE');
    given(...events).when(correctDetails({ birthDate: '1956-02-30' })).then('INVALID_DATE');
    given(...events).when(correctDetails({ nameKana: 'Yamada' })).then('INVALID_KANA');
    given(...events).when(correctDetails({ sex: 'M', nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ' })).then('NO_CHANGES');
    given(...events).when(correctDetails({ sex: 'F' }, ' ')).then('REASON_REQUIRED');
    given().when(correctDetails({ sex: 'F' })).then('RECIPIENT_NOT_FOUND');
  });
});
