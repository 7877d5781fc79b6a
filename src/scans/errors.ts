export type ScanErrorCode = 'SCAN_NOT_FOUND' | 'SCAN_ALREADY_RECORDED' | 'SCAN_BUSY';

/** A scan request that cannot proceed; mapped to HTTP in src/api/errorMapping.ts (404, 409, 409). */
export class ScanError extends Error {
  constructor(
    readonly code: ScanErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}
