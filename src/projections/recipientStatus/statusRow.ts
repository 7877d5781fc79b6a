import { toVaccinationStatus, validDoses, type Dose, type RegisteredRecipient, type VaccinationStatus } from '../../domain/index.js';

/**
 * The fold state kept in the row: everything but the stream's identity and personal fields, and the doses' statistics
 * figures. Those are the statistics projection's (taken from each event's statsDelta); folding recipient_status
 * never reads them, and they were a third of every stored dose.
 */
export type FoldState = Pick<RegisteredRecipient, 'medicalWorker' | 'transferredTo' | 'transferredFrom'> & { doses: Omit<Dose, 'figures'>[] };

export type StatusRow = {
  stream: string;
  municipality: string;
  coupon: string;
  /** The personal fields: stored sealed under the stream's data key (see storedRow), null once erased. */
  addressNumber: string | null;
  name: string | null;
  nameKana: string | null;
  birthDate: string | null;
  sex: RegisteredRecipient['sex'];
  status: RegisteredRecipient['status'];
  doses: VaccinationStatus['doses'];
  doseCount: number;
  lastDoseDate: string | null;
  nextEligibleDate: string | null;
  state: FoldState;
  version: bigint;
  position: bigint;
};

/** A registered recipient's row. Erased (or unreadable) people keep no personal field. */
export const stateToRow = (stream: string, s: RegisteredRecipient, version: bigint, position: bigint): StatusRow => {
  const view = toVaccinationStatus(s);
  const valid = validDoses(s);
  const person = s.status === 'erased' ? null : s.person;
  return {
    stream,
    municipality: s.municipality,
    coupon: s.coupon,
    addressNumber: person ? s.addressNumber : null,
    name: person?.name ?? null,
    nameKana: person?.nameKana ?? null,
    birthDate: person?.birthDate ?? null,
    sex: s.sex,
    status: s.status,
    doses: view.doses,
    doseCount: view.doses.length,
    lastDoseDate: valid.length > 0 ? valid[valid.length - 1].date : null,
    nextEligibleDate: view.nextEligibleDate,
    state: {
      medicalWorker: s.medicalWorker,
      doses: s.doses.map(({ figures: _figures, ...d }) => d),
      ...(s.transferredTo ? { transferredTo: s.transferredTo } : {}),
      ...(s.transferredFrom ? { transferredFrom: s.transferredFrom } : {}),
    },
    version,
    position,
  };
};

/** Back to the domain state, to fold the next events onto it (doses without figures: see FoldState). */
export const rowToState = (r: StatusRow): RegisteredRecipient => ({
  kind: 'registered',
  municipality: r.municipality,
  coupon: r.coupon,
  addressNumber: r.addressNumber,
  sex: r.sex,
  person: r.name !== null && r.nameKana !== null && r.birthDate !== null ? { name: r.name, nameKana: r.nameKana, birthDate: r.birthDate } : null,
  status: r.status,
  ...r.state,
  doses: r.state.doses as Dose[],
});
