import { describe, expect, it } from '@jest/globals';
import { BIRTH, COUPON, MUNICIPALITY, TODAY, given, history, register } from './support/given.js';
import { evolve, initialState } from '../../../src/domain/index.js';

describe('RegisterRecipient', () => {
  it('registers a new recipient, personal data under `personal` only', () => {
    given()
      .when(register({ nameKana: 'ﾔﾏﾀﾞ　たろう', address: ' 千代田区1-1 ', myNumber: '123456789018' }))
      .then([
        {
          type: 'RecipientRegistered',
          data: {
            municipality: MUNICIPALITY,
            coupon: COUPON,
            sex: 'M',
            medicalWorker: false,
            personal: {
              addressNumber: 'A-1',
              name: '山田 太郎',
              nameKana: 'ヤマダ タロウ',
              birthDate: BIRTH,
              address: '千代田区1-1',
              myNumber: '123456789018',
            },
          },
        },
      ]);
  });

  it('refuses a stream that exists', () => {
    given(...history(register())).when(register()).then('ALREADY_REGISTERED');
  });

  it.each([
    [{ municipality: '131017' }, 'INVALID_MUNICIPALITY_CODE', 'municipality'],
    [{ coupon: '123' }, 'INVALID_COUPON_NUMBER', 'coupon'],
    [{ myNumber: '123456789017' }, 'INVALID_MY_NUMBER', 'myNumber'],
    [{ nameKana: '山田 太郎' }, 'INVALID_KANA', 'nameKana'],
    [{ name: '  ' }, 'INVALID_NAME', 'name'],
    [{ birthDate: '1980-02-30' }, 'INVALID_DATE', 'birthDate'],
    [{ birthDate: '2024-06-02' }, 'DATE_IN_FUTURE', 'birthDate'],
  ] as const)('refuses %j with %s', (over, code, field) => {
    given().when(register(over)).then(code, field);
  });

  it('accepts a birth date of today', () => {
    expect(given().when(register({ birthDate: TODAY })).result.ok).toBe(true);
  });

  it('never puts a personal value in an error message', () => {
    const r = given().when(register({ nameKana: '山田 太郎' })).result;
    expect(!r.ok && r.error.message).not.toContain('山田');
  });

  it('an event written before the address number was sealed still reads, and loses it on erasure', () => {
    const old = { type: 'RecipientRegistered', data: { municipality: MUNICIPALITY, coupon: COUPON, addressNumber: 'A-9', sex: 'F', medicalWorker: false, personal: { name: 'x', nameKana: 'エックス', birthDate: BIRTH } } } as const;
    const state = evolve(initialState(), old);
    expect(state).toMatchObject({ addressNumber: 'A-9', person: { name: 'x' } });
    expect(evolve(state, { type: 'PersonalDataErased', data: { reason: 'r' } })).toMatchObject({ addressNumber: null, person: null });
    // The key gone, the event opens with `personal: null`: no address number either.
    expect(evolve(initialState(), { ...old, data: { ...old.data, personal: null } })).toMatchObject({ addressNumber: null, person: null });
  });
});
