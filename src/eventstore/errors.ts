export const storeErrorCodes = ['STREAM_VERSION_CONFLICT', 'INVALID_EVENT', 'STORE_CAPABILITY_MISSING'] as const;
export type StoreErrorCode = (typeof storeErrorCodes)[number];

/** Errors of the store contract. Each carries a stable code that the API maps to HTTP in one place. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class StreamVersionConflictError extends StoreError {
  constructor(stream: string, expected: string, actual: string) {
    super('STREAM_VERSION_CONFLICT', `stream ${stream} is at version ${actual}, expected ${expected}`, {
      stream,
      expected,
      actual,
    });
  }
}

/** Also by code: an error that crossed a worker or a process boundary is no longer an instance. */
export const isStreamVersionConflict = (e: unknown): boolean =>
  e instanceof StreamVersionConflictError || (e as { code?: string } | null)?.code === 'STREAM_VERSION_CONFLICT';

export class InvalidEventError extends StoreError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_EVENT', message, details);
  }
}

export class StoreCapabilityError extends StoreError {
  constructor(capability: string, message: string) {
    super('STORE_CAPABILITY_MISSING', message, { capability });
  }
}
