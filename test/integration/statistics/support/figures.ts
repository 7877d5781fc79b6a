import type { NewEvent } from '../../../../src/eventstore/contract.js';
import type { DoseFigures } from '../../../../src/domain/index.js';

export const fig = (o: Partial<DoseFigures> = {}): DoseFigures => ({
  date: '2021-04-12',
  municipality: '131016',
  prefecture: o.municipality ? o.municipality.slice(0, 2) : '13',
  sex: 'F',
  ageBand: '-64',
  doseNumber: 1,
  maker: 'pfizer',
  medicalWorker: false,
  ...o,
});

/** Domain-shaped counting events: only their statsDelta matters to the statistics. */
export const recorded = (f: DoseFigures): NewEvent => ({ type: 'VaccinationRecorded', data: { doseNumber: f.doseNumber, date: f.date, statsDelta: { remove: [], add: [f] } } });
export const corrected = (from: DoseFigures, to: DoseFigures): NewEvent => ({ type: 'VaccinationCorrected', data: { doseNumber: to.doseNumber, changes: { date: to.date }, reason: 'typo', statsDelta: { remove: [from], add: [to] } } });
export const voided = (f: DoseFigures): NewEvent => ({ type: 'VaccinationVoided', data: { doseNumber: f.doseNumber, reason: 'wrong person', statsDelta: { remove: [f], add: [] } } });
export const transferredIn = (f: DoseFigures): NewEvent => ({ type: 'RecipientTransferredIn', data: { fromMunicipality: f.municipality, fromCoupon: '0000000001', doses: [{ figures: f }] } });
