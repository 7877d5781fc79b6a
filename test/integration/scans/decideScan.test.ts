import { describe, it, expect } from '@jest/globals';
import { initialState, municipalityCheckDigit, type Dose, type RecipientState } from '../../../src/domain/index.js';
import { decideScan, type ScanFacts } from '../../../src/scans/index.js';

// The certainty policy is pure: no database, no images. (Kept beside the scan integration tests by folder ownership.)
const CHIYODA = `13101${municipalityCheckDigit('13101')}`;
const COUPON = '0000000042';
const line = (dose = 1, coupon = COUPON) => `1${dose}${CHIYODA}${coupon}`;

const registered = (doses = 0, status: 'active' | 'erased' = 'active'): RecipientState => ({
  kind: 'registered',
  municipality: CHIYODA,
  coupon: COUPON,
  addressNumber: 'A1',
  sex: 'F',
  medicalWorker: false,
  person: null,
  status,
  doses: Array.from({ length: doses }, (_, i) => ({ doseNumber: i + 1, voided: false }) as Dose),
});

const facts = (f: Partial<ScanFacts> = {}): ScanFacts => ({ certain: true, line: line(), maker: 'pfizer', lot: 'FA1234', recipient: registered(), ...f });

describe('decideScan: the certainty policy', () => {
  it('records a certain, valid reading of an active recipient’s next dose with a lot that fits the maker', () => {
    expect(decideScan(facts())).toEqual({ kind: 'record', municipality: CHIYODA, coupon: COUPON, doseNumber: 1, lot: 'FA1234' });
    expect(decideScan(facts({ lot: 'ｆａ 1234' }))).toMatchObject({ kind: 'record', lot: 'FA1234' });
    expect(decideScan(facts({ line: line(3), recipient: registered(2) }))).toMatchObject({ kind: 'record', doseNumber: 3 });
  });

  it('never trusts a guessed line, even one that names a real, eligible coupon', () => {
    expect(decideScan(facts({ certain: false, failure: 'passes-disagree' }))).toEqual({ kind: 'review', reasons: ['passes-disagree'] });
    expect(decideScan(facts({ certain: false }))).toEqual({ kind: 'review', reasons: ['unreadable'] });
  });

  it('names every reason that applies', () => {
    expect(decideScan(facts({ certain: false, failure: 'unreadable', line: null, lot: null }))).toEqual({ kind: 'review', reasons: ['unreadable', 'lot-pattern'] });
    const badCheck = `11${CHIYODA.slice(0, 5)}${(Number(CHIYODA[5]) + 1) % 10}${COUPON}`;
    expect(decideScan(facts({ certain: false, failure: 'check-digit', line: badCheck }))).toEqual({ kind: 'review', reasons: ['check-digit'] });
    expect(decideScan(facts({ line: badCheck }))).toEqual({ kind: 'review', reasons: ['check-digit'] });
    expect(decideScan(facts({ recipient: initialState() }))).toEqual({ kind: 'review', reasons: ['unknown-coupon'] });
    expect(decideScan(facts({ line: line(1, '0000000043') }))).toEqual({ kind: 'review', reasons: ['unknown-coupon'] });
    expect(decideScan(facts({ recipient: registered(0, 'erased') }))).toEqual({ kind: 'review', reasons: ['not-active'] });
    expect(decideScan(facts({ line: line(2) }))).toEqual({ kind: 'review', reasons: ['dose-mismatch'] });
    expect(decideScan(facts({ recipient: registered(1) }))).toEqual({ kind: 'review', reasons: ['dose-mismatch'] });
    expect(decideScan(facts({ lot: '1234567' }))).toEqual({ kind: 'review', reasons: ['lot-pattern'] });
    expect(decideScan(facts({ maker: 'moderna', lot: '1234567' }))).toMatchObject({ kind: 'record' });
    expect(decideScan(facts({ line: line(2), lot: 'X' }))).toEqual({ kind: 'review', reasons: ['dose-mismatch', 'lot-pattern'] });
  });
});
