import {
  toVaccinationStatus,
  validDoses,
  type Dose,
  type DoseSource,
  type Maker,
  type RecipientStatus,
  type RegisteredRecipient,
  type Sex,
} from '../../domain/index.js';

/** A dose as the row shows it (接種状況): voided doses left out, a carried dose's source is `transfer`. */
export type ShownDose = { doseNumber: number; date: string; vaccine: { maker: Maker; lot: string }; siteCode: string; source: DoseSource; corrected: boolean };

/**
 * What the next fold resumes from, beside the row's own fields (kept in the `state` column, never shown): every
 * dose, voided ones included, without the statistics figures. Those are the statistics projection's (taken from
 * each event's statsDelta); folding recipient_status never reads them, and they were a third of every stored dose.
 */
export type FoldState = {
  medicalWorker: boolean;
  doses: Omit<Dose, 'figures'>[];
  transferredTo?: { municipality: string; coupon: string; date: string };
  transferredFrom?: { municipality: string; coupon: string };
};

/**
 * A row of recipient_status as the read model answers with it (personal fields opened): its own shape, not the
 * domain's state. Built from the fold state by `stateToRow` alone; `rowToState` is the way back, for the next fold.
 * Stored by storedRow (sealed) in the columns of statusColumns.
 */
export type StatusRow = {
  stream: string;
  municipality: string;
  coupon: string;
  /** The personal fields: stored sealed under the stream's data key (see storedRow), null once erased. */
  addressNumber: string | null;
  name: string | null;
  nameKana: string | null;
  birthDate: string | null;
  sex: Sex;
  status: RecipientStatus;
  doses: ShownDose[];
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
