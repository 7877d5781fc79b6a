import { validDoses } from '../domain/index.js';
import type { LoadedRecipient } from '../ledger/index.js';
import { compactDate, doseColumnNames, EXPORT_DOSES, jstTimestamp, makerLabel } from './ledgerColumns.js';

/**
 * One recipient's line of the ledger file, or null when there is nothing to export (no registration, or personal
 * data erased). A carried dose keeps the coupon and municipality it was given under. 接種医師名 stays empty: the
 * ledger does not record the doctor.
 */
export const ledgerRow = (loaded: LoadedRecipient, recordedAt: Map<number, Date>): string[] | null => {
  const state = loaded.state;
  if (state.kind !== 'registered' || state.status === 'erased') return null;
  const byNumber = new Map(validDoses(state).map((d) => [d.doseNumber, d]));
  const cells = [state.addressNumber ?? ''];
  for (let n = 1; n <= EXPORT_DOSES; n++) {
    const d = byNumber.get(n);
    if (!d) {
      cells.push(...doseColumnNames.map(() => ''));
      continue;
    }
    const at = recordedAt.get(n);
    cells.push(at ? jstTimestamp(at) : '', compactDate(d.date), d.coupon, d.municipality, d.siteCode, '', makerLabel[d.vaccine.maker], d.vaccine.lot);
  }
  return cells;
};
