import { stringify } from 'csv-stringify/sync';
import { loadRecipient, type LedgerDeps } from '../../ledger/index.js';
import type { RegisteredRecipient } from '../../domain/index.js';
import type { DueItem } from './couponBatches.js';

export type DueRow = { municipality: string; coupon: string; doseNumber: number; eligibleFrom: string | null; line: string; name: string | null; nameKana: string | null; address: string | null };

/** The batch's recipients with their name and address as the ledger has them now (an erased person reads as null). */
export const dueRows = async (ledger: LedgerDeps, items: DueItem[]) => {
  const rows: { row: DueRow; state: RegisteredRecipient | null }[] = [];
  for (const item of items) {
    const { state } = await loadRecipient(ledger, item.stream);
    const registered = state.kind === 'registered' ? state : null;
    const person = registered?.person ?? null;
    rows.push({
      state: registered,
      row: {
        municipality: item.line.slice(2, 8),
        coupon: item.coupon,
        doseNumber: item.doseNumber,
        eligibleFrom: item.eligibleFrom,
        line: item.line,
        name: person?.name ?? null,
        nameKana: person?.nameKana ?? null,
        address: person?.address ?? null,
      },
    });
  }
  return rows;
};

const COLUMNS: [keyof DueRow, string][] = [
  ['municipality', '市町村コード'],
  ['coupon', '券番号'],
  ['doseNumber', '接種回数'],
  ['eligibleFrom', '接種可能日'],
  ['line', 'OCRライン'],
  ['name', '氏名'],
  ['nameKana', '氏名カナ'],
  ['address', '住所'],
];

/** UTF-8 with a BOM (spreadsheet software opens it as UTF-8), CRLF, a Japanese header row. */
export const dueCsv = (rows: DueRow[]) =>
  '\uFEFF' +
  stringify([COLUMNS.map(([, h]) => h), ...rows.map((r) => COLUMNS.map(([k]) => (r[k] === null ? '' : String(r[k]))))], { record_delimiter: '\r\n' });
