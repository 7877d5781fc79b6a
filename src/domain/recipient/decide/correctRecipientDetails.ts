import { ageBand } from '../../ageBand.js';
import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { CorrectRecipientDetails } from '../commands.js';
import type { RecipientEvent, RecipientEventOf } from '../events.js';
import { sameFigures } from '../figures.js';
import { checkHistory } from '../rules/history.js';
import type { DoseFigures } from '../schemas.js';
import { validDoses, type RecipientState } from '../state.js';
import { requireRegistered, requireReason, toHistory } from './common.js';
import { optionalText, parseBirthDate, parseKana, parseName } from './personalFields.js';

type Data = RecipientEventOf<'RecipientDetailsCorrected'>['data'];

export const correctRecipientDetails = (
  command: CorrectRecipientDetails,
  state: RecipientState,
): Result<RecipientEvent[]> => {
  const registered = requireRegistered(state);
  if (!registered.ok) return registered;
  const s = registered.value;
  if (s.status === 'erased' || s.person === null)
    return err(new DomainError('PERSONAL_DATA_ERASED', 'recipient: personal data was erased'));
  if (s.status !== 'active')
    return err(new DomainError('RECIPIENT_NOT_ACTIVE', `recipient: is ${s.status}`, { status: s.status }));
  const reason = requireReason(command.reason);
  if (!reason.ok) return reason;
  const person = s.person;
  const c = command.changes;

  const personal: NonNullable<Data['personal']> = {};
  const changes: Data['changes'] = {};
  if (c.name !== undefined) {
    const r = parseName(c.name, 'changes.name');
    if (!r.ok) return r;
    if (r.value !== person.name) personal.name = r.value;
  }
  if (c.nameKana !== undefined) {
    const r = parseKana(c.nameKana, 'changes.nameKana');
    if (!r.ok) return r;
    if (r.value !== person.nameKana) personal.nameKana = r.value;
  }
  if (c.birthDate !== undefined) {
    const r = parseBirthDate(c.birthDate, command.today, 'changes.birthDate');
    if (!r.ok) return r;
    if (r.value !== person.birthDate) personal.birthDate = r.value;
  }
  const address = optionalText(c.address);
  if (address !== undefined && address !== person.address) personal.address = address;
  if (c.sex !== undefined && c.sex !== s.sex) changes.sex = c.sex;
  if (c.medicalWorker !== undefined && c.medicalWorker !== s.medicalWorker) changes.medicalWorker = c.medicalWorker;
  if (Object.keys(personal).length === 0 && Object.keys(changes).length === 0)
    return err(new DomainError('NO_CHANGES', 'changes: the recipient already has these values', { field: 'changes' }));

  const valid = validDoses(s);
  const birthDate = personal.birthDate ?? person.birthDate;
  if (personal.birthDate !== undefined) {
    // A new birth date must still fit every dose (none before birth, each at an eligible age).
    const checked = checkHistory(toHistory(valid), { birthDate, today: command.today });
    if (!checked.ok) {
      const e = checked.error;
      return err(new DomainError(e.code, `changes.birthDate: ${e.message}`, { ...e.details, field: 'changes.birthDate' }));
    }
  }

  // Sex, medical-worker and birth-date changes move the figures of every dose already counted.
  const remove: DoseFigures[] = [];
  const add: DoseFigures[] = [];
  for (const d of valid) {
    const figures: DoseFigures = {
      ...d.figures,
      sex: changes.sex ?? d.figures.sex,
      medicalWorker: changes.medicalWorker ?? d.figures.medicalWorker,
      ageBand: personal.birthDate !== undefined ? ageBand(birthDate, d.date) : d.figures.ageBand,
    };
    if (!sameFigures(figures, d.figures)) {
      remove.push(d.figures);
      add.push(figures);
    }
  }
  return ok([
    {
      type: 'RecipientDetailsCorrected',
      data: {
        changes,
        ...(Object.keys(personal).length > 0 ? { personal } : {}),
        reason: reason.value,
        statsDelta: { remove, add },
      },
    },
  ]);
};
