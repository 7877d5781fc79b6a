import { CodedError } from '../domain/errors.js';

export const accountErrorCodes = ['USER_EXISTS', 'USER_NOT_FOUND', 'SIGN_IN_FAILED', 'SIGN_IN_LOCKED', 'SIGN_IN_RATE_LIMITED'] as const;
export type AccountErrorCode = (typeof accountErrorCodes)[number];

/** An account or session problem with a stable code; the API maps each to its status (errorMapping.ts). */
export class AccountError extends CodedError<AccountErrorCode> {}
