import { validDoses, type RegisteredRecipient } from '../../domain/index.js';
import { CVX_SYSTEM, cvxByMaker } from './cvx.js';

/** A Japanese name as written ("山田 太郎", full- or half-width blank): family first, then given names. */
export const humanName = (name: string) => {
  const [family, ...given] = name.trim().split(/[\s\u3000]+/);
  return given.length > 0 ? { family, given } : { family };
};

/**
 * The FHIR R4 Bundle of a SMART Health Card: the Patient and one Immunization per valid dose (a voided dose is
 * left out, a corrected one appears as corrected), shaped for a QR as the spec asks: no ids, meta, text or
 * display; `resource:N` references.
 */
export const fhirBundleOf = (state: RegisteredRecipient) => {
  const person = state.person!;
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'resource:0', resource: { resourceType: 'Patient', name: [humanName(person.name)], birthDate: person.birthDate } },
      ...validDoses(state).map((d, i) => ({
        fullUrl: `resource:${i + 1}`,
        resource: {
          resourceType: 'Immunization',
          status: 'completed',
          vaccineCode: { coding: [{ system: CVX_SYSTEM, code: cvxByMaker[d.vaccine.maker] }] },
          patient: { reference: 'resource:0' },
          occurrenceDateTime: d.date,
          performer: [{ actor: { display: d.siteCode } }],
          lotNumber: d.vaccine.lot,
        },
      })),
    ],
  };
};
