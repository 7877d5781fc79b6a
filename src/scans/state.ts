import type { CouponScanned, ReviewReason, ScanAccepted, ScanEvent } from './events.js';

export type ScanStatus = 'recorded' | 'needs-review';

export type ScanState =
  | { kind: 'empty' }
  | {
      kind: 'scanned';
      scanned: CouponScanned;
      /** The line the current outcome was decided on: the one read, or the last one a person typed. */
      line: string | null;
      typed: boolean;
      status: ScanStatus;
      reasons: ReviewReason[];
      ruleCode?: string;
      accepted?: ScanAccepted;
      resolutions: number;
    };

export const initialScanState = (): ScanState => ({ kind: 'empty' });

export const evolveScan = (state: ScanState, event: ScanEvent): ScanState => {
  switch (event.type) {
    case 'CouponScanned':
      return { kind: 'scanned', scanned: event.data, line: event.data.line, typed: false, status: 'needs-review', reasons: [], resolutions: 0 };
    case 'ScanResolved':
      return state.kind === 'scanned' ? { ...state, line: event.data.line, typed: true, resolutions: state.resolutions + 1 } : state;
    case 'ScanAccepted':
      return state.kind === 'scanned' ? { ...state, status: 'recorded', reasons: [], ruleCode: undefined, accepted: event.data } : state;
    case 'ScanNeedsReview':
      return state.kind === 'scanned' ? { ...state, status: 'needs-review', reasons: event.data.reasons, ruleCode: event.data.ruleCode } : state;
  }
};
