/**
 * Errors that stop a whole import (as opposed to a rejected line). Each carries a stable `code`; its HTTP
 * status is in the one table, src/api/errorMapping.ts. Messages never contain file content.
 */
export const importErrorCodes = [
  'IMPORT_TOO_LARGE',
  'IMPORT_UNSUPPORTED_CHARSET',
  'IMPORT_MISSING_HEADER',
  'IMPORT_UNKNOWN_COLUMN',
  'IMPORT_DUPLICATE_COLUMN',
  'IMPORT_MISSING_COLUMN',
] as const;

export type ImportErrorCode = (typeof importErrorCodes)[number];

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export const isImportError = (e: unknown): e is ImportError => e instanceof ImportError;
