import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { VoidVaccination } from '../commands.js';
import type { RecipientEvent } from '../events.js';
import { validDoses, type RecipientState } from '../state.js';
import { findValidDose, requireActive, requireReason } from './common.js';

/**
 * Only the last valid dose may be voided: voiding an earlier one would leave a gap in the
 * numbering (dose 1, dose 3). To fix an earlier dose, correct it, or void from the last backwards.
 */
export const voidVaccination = (command: VoidVaccination, state: RecipientState): Result<RecipientEvent[]> => {
  const active = requireActive(state);
  if (!active.ok) return active;
  const reason = requireReason(command.reason);
  if (!reason.ok) return reason;
  const found = findValidDose(active.value, command.doseNumber);
  if (!found.ok) return found;
  const valid = validDoses(active.value);
  const last = valid[valid.length - 1];
  if (found.value.dose !== last)
    return err(
      new DomainError('DOSE_NOT_LAST', `doseNumber: only the last valid dose (${last.doseNumber}) may be voided`, {
        field: 'doseNumber',
        lastDoseNumber: last.doseNumber,
      }),
    );
  return ok([
    {
      type: 'VaccinationVoided',
      data: { doseNumber: last.doseNumber, reason: reason.value, statsDelta: { remove: [last.figures], add: [] } },
    },
  ]);
};
