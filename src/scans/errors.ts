import { CodedError } from '../domain/errors.js';

export const scanErrorCodes = ['SCAN_NOT_FOUND', 'SCAN_ALREADY_RECORDED', 'SCAN_BUSY'] as const;
export type ScanErrorCode = (typeof scanErrorCodes)[number];

/** A scan request that cannot proceed; mapped to HTTP in src/api/errorMapping.ts. */
export class ScanError extends CodedError<ScanErrorCode> {}
