import { parsedLine } from './decideScan.js';
import type { ReviewReason } from './events.js';
import type { ScanState } from './state.js';

export type ScanRead = { method: 'qr' | 'ocr' | 'none' | 'typed'; line: string | null; municipality: string | null; coupon: string | null; dose: number | null };

/** What POST /v1/scans and resolve answer: no personal data, only what the coupon itself says. */
export type ScanResult = {
  scanId: string;
  status: 'recorded' | 'needs-review';
  read: ScanRead;
  reasons?: ReviewReason[];
  ruleCode?: string;
  recorded?: { recipientStream: string; doseNumber: number };
  duplicate?: boolean;
};

export const readOf = (state: Extract<ScanState, { kind: 'scanned' }>): ScanRead => {
  const p = parsedLine(state.line);
  return {
    method: state.typed ? 'typed' : state.scanned.method,
    line: state.line,
    municipality: p?.municipality ?? null,
    coupon: p?.coupon ?? null,
    dose: p?.dose ?? null,
  };
};

export const scanResult = (scanId: string, state: Extract<ScanState, { kind: 'scanned' }>, duplicate = false): ScanResult => ({
  scanId,
  status: state.status,
  read: readOf(state),
  ...(state.status === 'needs-review' ? { reasons: state.reasons } : {}),
  ...(state.ruleCode ? { ruleCode: state.ruleCode } : {}),
  ...(state.accepted ? { recorded: { recipientStream: state.accepted.recipientStream, doseNumber: state.accepted.doseNumber } } : {}),
  ...(duplicate ? { duplicate } : {}),
});
