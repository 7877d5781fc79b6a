import { prefectureOf } from '../codes/municipalityCode.js';
import { vaccineTable } from '../vaccines.js';
import type { RecipientEvent } from './events.js';
import type { DoseFigures } from './schemas.js';
import type { Dose, Person, RecipientState, RegisteredRecipient } from './state.js';

const mapValidDose = (state: RegisteredRecipient, doseNumber: number, f: (d: Dose) => Dose): Dose[] =>
  state.doses.map((d) => (!d.voided && d.doseNumber === doseNumber ? f(d) : d));

// Figures follow the statsDelta decide computed, so evolve never needs the (maybe erased) birth date.
const applyAdded = (doses: Dose[], added: DoseFigures[]): Dose[] =>
  doses.map((d) => {
    if (d.voided) return d;
    const figures = added.find((a) => a.doseNumber === d.doseNumber);
    return figures ? { ...d, figures } : d;
  });

export const evolve = (state: RecipientState, event: RecipientEvent): RecipientState => {
  if (event.type === 'RecipientRegistered') {
    const { municipality, coupon, addressNumber, sex, medicalWorker, personal } = event.data;
    const { addressNumber: sealedAddressNumber, ...person } = personal ?? {};
    return {
      kind: 'registered',
      municipality,
      coupon,
      addressNumber: personal ? (sealedAddressNumber ?? addressNumber ?? null) : null,
      sex,
      medicalWorker,
      person: personal ? (person as Person) : null,
      status: 'active',
      doses: [],
    };
  }
  if (state.kind !== 'registered') return state;

  switch (event.type) {
    case 'RecipientDetailsCorrected': {
      const { changes, personal, statsDelta } = event.data;
      const person = state.person && personal ? { ...state.person, ...stripUndefined(personal) } : state.person;
      return {
        ...state,
        sex: changes.sex ?? state.sex,
        medicalWorker: changes.medicalWorker ?? state.medicalWorker,
        person,
        doses: applyAdded(state.doses, statsDelta.add),
      };
    }
    case 'VaccinationRecorded': {
      const d = event.data;
      const figures: DoseFigures = d.statsDelta.add[0] ?? {
        date: d.date,
        municipality: d.municipality,
        prefecture: prefectureOf(d.municipality),
        sex: d.sex,
        ageBand: d.ageBand,
        doseNumber: d.doseNumber,
        maker: d.vaccine.maker,
        medicalWorker: d.medicalWorker,
      };
      const dose: Dose = {
        doseNumber: d.doseNumber,
        date: d.date,
        vaccine: { ...d.vaccine },
        siteCode: d.siteCode,
        source: d.source,
        ...(d.scanId !== undefined ? { scanId: d.scanId } : {}),
        municipality: d.municipality,
        coupon: d.coupon,
        voided: false,
        corrected: false,
        carried: false,
        figures,
      };
      return { ...state, doses: [...state.doses, dose] };
    }
    case 'VaccinationCorrected': {
      const { doseNumber, changes, statsDelta } = event.data;
      return {
        ...state,
        doses: mapValidDose(state, doseNumber, (d) => ({
          ...d,
          date: changes.date ?? d.date,
          vaccine: {
            ...d.vaccine,
            // A new maker makes the old product name wrong: take the new maker's product.
            ...(changes.vaccine?.maker ? { product: vaccineTable[changes.vaccine.maker].product } : {}),
            maker: changes.vaccine?.maker ?? d.vaccine.maker,
            lot: changes.vaccine?.lot ?? d.vaccine.lot,
          },
          siteCode: changes.siteCode ?? d.siteCode,
          corrected: true,
          figures: statsDelta.add[0] ?? d.figures,
        })),
      };
    }
    case 'VaccinationVoided':
      return {
        ...state,
        doses: mapValidDose(state, event.data.doseNumber, (d) => ({ ...d, voided: true, voidReason: event.data.reason })),
      };
    case 'RecipientTransferredOut':
      return {
        ...state,
        status: 'transferred-out',
        transferredTo: { municipality: event.data.toMunicipality, coupon: event.data.toCoupon, date: event.data.date },
      };
    case 'RecipientTransferredIn':
      return {
        ...state,
        transferredFrom: { municipality: event.data.fromMunicipality, coupon: event.data.fromCoupon },
        doses: [
          ...state.doses,
          ...event.data.doses.map((c): Dose => ({ ...c, vaccine: { ...c.vaccine }, voided: false, carried: true })),
        ],
      };
    case 'PersonalDataErased':
      return { ...state, status: 'erased', person: null, addressNumber: null };
    // Papers handed out change nothing the ledger decides on: the events are the record of the issue.
    case 'CouponIssued':
    case 'CertificateIssued':
      return state;
  }
};

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
