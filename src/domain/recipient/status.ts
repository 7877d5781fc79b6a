import { addYears } from '../dates.js';
import { MAX_DOSE_NUMBER, nextEligibleDate, youngestMinimumAge, type Maker } from '../vaccines.js';
import type { DoseSource, Sex } from './schemas.js';
import { validDoses, type RecipientState, type RecipientStatus, type RegisteredRecipient } from './state.js';

export type VaccinationStatus = {
  status: RecipientStatus;
  person: { name: string; nameKana: string; birthDate: string; sex: Sex } | null;
  doses: {
    doseNumber: number;
    date: string;
    vaccine: { maker: Maker; lot: string };
    siteCode: string;
    source: DoseSource;
    corrected: boolean;
  }[];
  nextEligibleDate: string | null;
};

/**
 * DESIGN's 接種状況 without municipality/coupon/version (the caller adds those). Voided doses are
 * left out; carried doses are in. The next date is for any product (a Novavax booster needs longer).
 * My Number and address are never part of it.
 */
export function toVaccinationStatus(state: RegisteredRecipient): VaccinationStatus;
export function toVaccinationStatus(state: RecipientState): VaccinationStatus | null;
export function toVaccinationStatus(state: RecipientState): VaccinationStatus | null {
  if (state.kind !== 'registered') return null;
  const valid = validDoses(state);
  const last = valid[valid.length - 1];
  let next: string | null = null;
  if (state.status === 'active' && valid.length < MAX_DOSE_NUMBER) {
    if (last) next = nextEligibleDate(last, valid.length + 1);
    else if (state.person) next = addYears(state.person.birthDate, youngestMinimumAge);
  }
  return {
    status: state.status,
    person: state.person
      ? { name: state.person.name, nameKana: state.person.nameKana, birthDate: state.person.birthDate, sex: state.sex }
      : null,
    doses: valid.map((d) => ({
      doseNumber: d.doseNumber,
      date: d.date,
      vaccine: { maker: d.vaccine.maker, lot: d.vaccine.lot },
      siteCode: d.siteCode,
      // A dose carried in by a transfer shows as such here; the event keeps how it was first recorded.
      source: d.carried ? 'transfer' : d.source,
      corrected: d.corrected,
    })),
    nextEligibleDate: next,
  };
}
