import { describe, it } from '@jest/globals';
import { COUPON, MUNICIPALITY, TODAY, given, history, record, register } from './support/given.js';

const coupon = (doseNumber: number, batchId = 'B1') => ({ type: 'IssueCoupon', today: TODAY, doseNumber, batchId }) as const;
const certificate = (kind: 'shc' | 'vds' | 'record' = 'shc', keyId: string | null = 'kid-1') =>
  ({ type: 'IssueCertificate', today: TODAY, kind, keyId, issuedAt: 1_700_000_000 }) as const;
const voidDose = (doseNumber: number) => ({ type: 'VoidVaccination', today: TODAY, doseNumber, reason: '別人に記録' }) as const;
const erase = () => ({ type: 'ErasePersonalData', today: TODAY, reason: '保存期間満了' }) as const;

describe('IssueCoupon', () => {
  it('issues the coupon for the next dose with its 18-digit line (券種 回数 市町村コード 券番号)', () => {
    given(...history(register(), record(1, '2021-06-01')))
      .when(coupon(2))
      .then([{ type: 'CouponIssued', data: { doseNumber: 2, batchId: 'B1', line: `12${MUNICIPALITY}${COUPON}` } }]);
  });

  it('a reprint is a second issue of the same coupon', () => {
    const first = history(register(), coupon(1));
    given(...first).when(coupon(1, 'B2')).then([{ type: 'CouponIssued', data: { doseNumber: 1, batchId: 'B2', line: `11${MUNICIPALITY}${COUPON}` } }]);
  });

  it('refuses a coupon for a dose already given or two ahead (it would be scanned onto the wrong dose)', () => {
    const one = history(register(), record(1, '2021-06-01'));
    given(...one).when(coupon(1)).then('DOSE_OUT_OF_ORDER', 'doseNumber');
    given(...one).when(coupon(3)).then('DOSE_OUT_OF_ORDER', 'doseNumber');
    // After a void the voided dose is the next one again.
    given(...history(register(), record(1, '2021-06-01'), voidDose(1))).when(coupon(1)).then([
      { type: 'CouponIssued', data: { doseNumber: 1, batchId: 'B1', line: `11${MUNICIPALITY}${COUPON}` } },
    ]);
  });

  it('refuses an unknown or erased recipient', () => {
    given().when(coupon(1)).then('RECIPIENT_NOT_FOUND');
    given(...history(register(), erase())).when(coupon(1)).then('RECIPIENT_NOT_ACTIVE');
  });
});

describe('IssueCertificate', () => {
  it('records kind, key and the valid doses it covers (a voided dose is not among them)', () => {
    const events = history(register(), record(1, '2021-06-01'), record(2, '2021-06-22'), voidDose(2));
    given(...events)
      .when(certificate())
      .then([{ type: 'CertificateIssued', data: { kind: 'shc', keyId: 'kid-1', doseNumbers: [1], issuedAt: 1_700_000_000 } }]);
    given(...events)
      .when(certificate('record', null))
      .then([{ type: 'CertificateIssued', data: { kind: 'record', keyId: null, doseNumbers: [1], issuedAt: 1_700_000_000 } }]);
  });

  it('refuses a person with no valid dose, an erased person, an unknown one', () => {
    given(...history(register())).when(certificate()).then('NO_VALID_DOSES');
    given(...history(register(), record(1, '2021-06-01'), voidDose(1))).when(certificate()).then('NO_VALID_DOSES');
    given(...history(register(), record(1, '2021-06-01'), erase())).when(certificate()).then('RECIPIENT_NOT_ACTIVE');
    given().when(certificate()).then('RECIPIENT_NOT_FOUND');
  });

  it('issuing changes nothing the ledger decides on: the next dose is still accepted', () => {
    const events = history(register(), record(1, '2021-06-01'), certificate(), coupon(2));
    given(...events).when(record(2, '2021-06-22')).events();
  });
});
