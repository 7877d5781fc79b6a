import { normalizeDigits } from '../../codes/digits.js';
import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import { normalizeLot, vaccineTable } from '../../vaccines.js';
import type { RecordVaccination } from '../commands.js';
import type { RecipientEvent } from '../events.js';
import { figuresOf } from '../figures.js';
import { checkDoseRequest, checkHistory } from '../rules/history.js';
import { validDoses, type RecipientState } from '../state.js';
import { birthDateOf, requireActive, toHistory } from './common.js';

/**
 * What the request alone must satisfy (date, product available then, lot pattern), before anything about the
 * person is looked at: the ledger calls it before it even reads the stream.
 */
export const checkRecordRequest = (command: Pick<RecordVaccination, 'doseNumber' | 'date' | 'vaccine' | 'today'>): Result<void> =>
  checkDoseRequest({ doseNumber: command.doseNumber, date: command.date, maker: command.vaccine.maker, lot: normalizeLot(command.vaccine.lot) }, command.today);

export const recordVaccination = (command: RecordVaccination, state: RecipientState): Result<RecipientEvent[]> => {
  const request = checkRecordRequest(command);
  if (!request.ok) return request;
  const active = requireActive(state);
  if (!active.ok) return active;
  const s = active.value;
  if (
    (command.municipality !== undefined && normalizeDigits(command.municipality) !== s.municipality) ||
    (command.coupon !== undefined && normalizeDigits(command.coupon) !== s.coupon)
  )
    return err(new DomainError('RECIPIENT_NOT_FOUND', 'recipient: municipality and coupon do not name this recipient'));

  const valid = validDoses(s);
  // A scan read again (a retried upload) must not record a second dose: it already did its work.
  if (command.scanId !== undefined && s.doses.some((d) => d.scanId === command.scanId)) return ok([]);
  const expected = valid.length + 1;
  if (command.doseNumber !== expected)
    return err(
      new DomainError('DOSE_OUT_OF_ORDER', `doseNumber: expected ${expected}, ${valid.length} valid doses so far`, {
        field: 'doseNumber',
        expected,
      }),
    );

  const maker = command.vaccine.maker;
  const lot = normalizeLot(command.vaccine.lot);
  const birthDate = birthDateOf(s);
  const history = [...toHistory(valid), { doseNumber: expected, date: command.date, maker, lot }];
  const checked = checkHistory(history, { birthDate, today: command.today }, [history.length - 1]);
  if (!checked.ok) return checked;

  const figures = figuresOf({
    date: command.date,
    doseNumber: expected,
    maker,
    municipality: s.municipality,
    sex: s.sex,
    birthDate,
    medicalWorker: s.medicalWorker,
  });
  return ok([
    {
      type: 'VaccinationRecorded',
      data: {
        doseNumber: expected,
        date: command.date,
        vaccine: { maker, product: command.vaccine.product?.trim() || vaccineTable[maker].product, lot },
        siteCode: command.siteCode.trim(),
        source: command.source ?? 'manual',
        ...(command.scanId !== undefined ? { scanId: command.scanId } : {}),
        municipality: s.municipality,
        coupon: s.coupon,
        sex: s.sex,
        ageBand: figures.ageBand,
        medicalWorker: s.medicalWorker,
        statsDelta: { remove: [], add: [figures] },
      },
    },
  ]);
};
