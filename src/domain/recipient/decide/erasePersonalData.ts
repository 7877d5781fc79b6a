import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { ErasePersonalData } from '../commands.js';
import type { RecipientEvent } from '../events.js';
import type { RecipientState } from '../state.js';
import { requireRegistered, requireReason } from './common.js';

/** Allowed in any status: retention ends for moved-out records too. Doses and counts stay. */
export const erasePersonalData = (command: ErasePersonalData, state: RecipientState): Result<RecipientEvent[]> => {
  const registered = requireRegistered(state);
  if (!registered.ok) return registered;
  if (registered.value.status === 'erased')
    return err(new DomainError('PERSONAL_DATA_ERASED', 'recipient: personal data was already erased'));
  const reason = requireReason(command.reason);
  if (!reason.ok) return reason;
  return ok([{ type: 'PersonalDataErased', data: { reason: reason.value } }]);
};
