export const ledgerErrorCodes = ['IDEMPOTENCY_KEY_REUSED'] as const;
export type LedgerErrorCode = (typeof ledgerErrorCodes)[number];

/** A commandId / Idempotency-Key already used for a different request (mapped to 409). */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED' satisfies LedgerErrorCode;
  constructor() {
    super('commandId: this idempotency key was already used for a different request');
    this.name = 'IdempotencyKeyReusedError';
  }
}
