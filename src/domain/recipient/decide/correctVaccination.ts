import { ageBand } from '../../ageBand.js';
import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import { normalizeLot, type Maker } from '../../vaccines.js';
import type { CorrectVaccination } from '../commands.js';
import type { RecipientEvent, RecipientEventOf } from '../events.js';
import { sameFigures } from '../figures.js';
import { checkHistory } from '../rules/history.js';
import { validDoses, type RecipientState } from '../state.js';
import { birthDateOf, findValidDose, requireActive, requireReason, toHistory } from './common.js';

type Changes = RecipientEventOf<'VaccinationCorrected'>['data']['changes'];

export const correctVaccination = (command: CorrectVaccination, state: RecipientState): Result<RecipientEvent[]> => {
  const active = requireActive(state);
  if (!active.ok) return active;
  const s = active.value;
  const reason = requireReason(command.reason);
  if (!reason.ok) return reason;
  const found = findValidDose(s, command.doseNumber);
  if (!found.ok) return found;
  const { dose, index } = found.value;

  // Only what really differs is recorded: the event says exactly what the correction moved.
  const changes: Changes = {};
  const c = command.changes;
  if (c.date !== undefined && c.date !== dose.date) changes.date = c.date;
  const maker: Maker | undefined = c.vaccine?.maker !== undefined && c.vaccine.maker !== dose.vaccine.maker ? c.vaccine.maker : undefined;
  const lotIn = c.vaccine?.lot !== undefined ? normalizeLot(c.vaccine.lot) : undefined;
  const lot = lotIn !== undefined && lotIn !== dose.vaccine.lot ? lotIn : undefined;
  if (maker !== undefined || lot !== undefined)
    changes.vaccine = { ...(maker !== undefined ? { maker } : {}), ...(lot !== undefined ? { lot } : {}) };
  const siteCode = c.siteCode?.trim();
  if (siteCode !== undefined && siteCode !== dose.siteCode) changes.siteCode = siteCode;
  if (Object.keys(changes).length === 0)
    return err(new DomainError('NO_CHANGES', `changes: dose ${dose.doseNumber} already has these values`, { field: 'changes' }));

  const corrected = {
    doseNumber: dose.doseNumber,
    date: changes.date ?? dose.date,
    maker: maker ?? dose.vaccine.maker,
    lot: lot ?? dose.vaccine.lot,
  };
  const history = toHistory(validDoses(s));
  history[index] = corrected;
  const birthDate = birthDateOf(s);
  const checked = checkHistory(history, { birthDate, today: command.today }, [index]);
  if (!checked.ok) return checked;

  // The dose keeps its municipality, sex and medical-worker figure; date, band and maker may move.
  const figures = {
    ...dose.figures,
    date: corrected.date,
    maker: corrected.maker,
    ageBand: birthDate ? ageBand(birthDate, corrected.date) : dose.figures.ageBand,
  };
  const statsDelta = sameFigures(figures, dose.figures) ? { remove: [], add: [] } : { remove: [dose.figures], add: [figures] };
  return ok([{ type: 'VaccinationCorrected', data: { doseNumber: dose.doseNumber, changes, reason: reason.value, statsDelta } }]);
};
