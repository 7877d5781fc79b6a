import { CodedError } from '../domain/errors.js';

export const ledgerErrorCodes = ['IDEMPOTENCY_KEY_REUSED'] as const;
export type LedgerErrorCode = (typeof ledgerErrorCodes)[number];

/** A commandId / Idempotency-Key already used for a different request (mapped to 409). */
export class IdempotencyKeyReusedError extends CodedError<LedgerErrorCode> {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'commandId: this idempotency key was already used for a different request');
  }
}
