import type { Result } from '../result.js';
import type { RecipientCommand } from './commands.js';
import { correctRecipientDetails } from './decide/correctRecipientDetails.js';
import { correctVaccination } from './decide/correctVaccination.js';
import { issueCertificate } from './decide/issueCertificate.js';
import { issueCoupon } from './decide/issueCoupon.js';
import { erasePersonalData } from './decide/erasePersonalData.js';
import { recordVaccination } from './decide/recordVaccination.js';
import { registerRecipient } from './decide/registerRecipient.js';
import { voidVaccination } from './decide/voidVaccination.js';
import type { RecipientEvent } from './events.js';
import type { RecipientState } from './state.js';

/** Pure: the events a command produces on the recipient stream, or the rule it breaks. */
export const decide = (command: RecipientCommand, state: RecipientState): Result<RecipientEvent[]> => {
  switch (command.type) {
    case 'RegisterRecipient':
      return registerRecipient(command, state);
    case 'RecordVaccination':
      return recordVaccination(command, state);
    case 'CorrectVaccination':
      return correctVaccination(command, state);
    case 'VoidVaccination':
      return voidVaccination(command, state);
    case 'CorrectRecipientDetails':
      return correctRecipientDetails(command, state);
    case 'ErasePersonalData':
      return erasePersonalData(command, state);
    case 'IssueCoupon':
      return issueCoupon(command, state);
    case 'IssueCertificate':
      return issueCertificate(command, state);
  }
};

export { decideTransfer, transferSourceNotFound, type TransferEvents } from './decide/transferRecipient.js';
export { checkRecordRequest } from './decide/recordVaccination.js';
