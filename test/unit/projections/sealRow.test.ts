import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { StatusRow } from '../../../src/projections/recipientStatus/statusRow.js';
import { openRow, sealRow } from '../../../src/projections/recipientStatus/storedRow.js';

const key = randomBytes(32);
const bixKey = randomBytes(32);
const dose = (doseNumber: number, date: string) => ({ doseNumber, date, vaccine: { maker: 'pfizer' as const, lot: 'FA1234' }, siteCode: '1312345678', source: 'manual' as const, corrected: false });
const registered: StatusRow = {
  stream: 'recipient-131016-0000000001',
  municipality: '131016',
  coupon: '0000000001',
  addressNumber: 'A-1',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  birthDate: '1970-03-01',
  sex: 'M',
  status: 'active',
  doses: [dose(1, '2021-05-01')],
  doseCount: 1,
  lastDoseDate: '2021-05-01',
  nextEligibleDate: '2021-05-22',
  state: { medicalWorker: false, doses: [] } as unknown as StatusRow['state'],
  version: 2n,
  position: 7n,
};

/** A dose changes no sealed field: the live projection keeps the row's seal and blind indexes instead of redoing them. */
describe('sealRow with the row it replaces', () => {
  const stored = sealRow(registered, key, bixKey);
  const loaded = openRow(stored, key);
  const afterDose: StatusRow = { ...loaded, doses: [...loaded.doses, dose(2, '2021-05-22')], doseCount: 2, lastDoseDate: '2021-05-22', nextEligibleDate: null, version: 3n, position: 9n };

  it('keeps the sealed block and the blind indexes when the personal fields did not change', () => {
    const next = sealRow(afterDose, key, bixKey, loaded);
    expect(next.sealed).toBe(stored.sealed);
    expect(next.kana_bix).toBe(stored.kana_bix);
    expect(next.birth_bix).toBe(stored.birth_bix);
    expect(openRow(next, key)).toEqual(afterDose);
  });

  it('seals afresh without the row it replaces (a new nonce each time)', () => {
    expect(sealRow(afterDose, key, bixKey).sealed).not.toBe(stored.sealed);
  });

  it('seals again and re-indexes when a sealed field changes (a kana correction)', () => {
    const corrected = { ...afterDose, nameKana: 'ヤマダ ハナコ' };
    const next = sealRow(corrected, key, bixKey, loaded);
    expect(next.sealed).not.toBe(stored.sealed);
    expect(next.kana_bix).not.toEqual(stored.kana_bix);
    expect(next.birth_bix).toBe(stored.birth_bix);
    expect(openRow(next, key).nameKana).toBe('ヤマダ ハナコ');
  });

  it('seals again when the next date stops being personal (the first dose: it was the birth date plus the minimum age)', () => {
    const unvaccinated = sealRow({ ...registered, doses: [], doseCount: 0, lastDoseDate: null, nextEligibleDate: '1982-03-01' }, key, bixKey);
    const before = openRow(unvaccinated, key);
    const next = sealRow(registered, key, bixKey, before);
    expect(next.sealed).not.toBe(unvaccinated.sealed);
    expect(next.next_eligible_date).toBe('2021-05-22');
    expect(openRow(next, key)).toEqual(registered);
  });

  it('keeps nothing once the key is gone (erased)', () => {
    const erased = sealRow(afterDose, null, bixKey, loaded);
    expect(erased).toMatchObject({ sealed: null, kana_bix: [], birth_bix: null });
  });
});
