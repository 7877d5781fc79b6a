import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { HistoryDose } from '../rules/history.js';
import { validDoses, type Dose, type RecipientState, type RegisteredRecipient } from '../state.js';

export const requireRegistered = (state: RecipientState): Result<RegisteredRecipient> =>
  state.kind === 'registered'
    ? ok(state)
    : err(new DomainError('RECIPIENT_NOT_FOUND', 'recipient: not registered'));

/** Doses are written only on the registration where the person currently is. */
export const requireActive = (state: RecipientState): Result<RegisteredRecipient> => {
  const r = requireRegistered(state);
  if (!r.ok) return r;
  if (r.value.status !== 'active')
    return err(new DomainError('RECIPIENT_NOT_ACTIVE', `recipient: is ${r.value.status}`, { status: r.value.status }));
  return r;
};

export const requireReason = (reason: string): Result<string> => {
  const trimmed = reason.trim();
  return trimmed ? ok(trimmed) : err(new DomainError('REASON_REQUIRED', 'reason: must be given', { field: 'reason' }));
};

/** The valid (not voided) dose with this number, with its position among the valid doses. */
export const findValidDose = (state: RegisteredRecipient, doseNumber: number): Result<{ dose: Dose; index: number }> => {
  const valid = validDoses(state);
  const index = valid.findIndex((d) => d.doseNumber === doseNumber);
  if (index >= 0) return ok({ dose: valid[index], index });
  if (state.doses.some((d) => d.doseNumber === doseNumber))
    return err(new DomainError('DOSE_ALREADY_VOIDED', `dose ${doseNumber}: is voided`, { field: 'doseNumber', doseNumber }));
  return err(new DomainError('DOSE_NOT_FOUND', `dose ${doseNumber}: not recorded`, { field: 'doseNumber', doseNumber }));
};

export const toHistory = (doses: Dose[]): HistoryDose[] =>
  doses.map((d) => ({ doseNumber: d.doseNumber, date: d.date, maker: d.vaccine.maker, lot: d.vaccine.lot }));

export const birthDateOf = (state: RegisteredRecipient): string | null => state.person?.birthDate ?? null;
