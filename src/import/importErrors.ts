/**
 * Errors that stop a whole import (as opposed to a rejected line). Each carries a stable `code`
 * and the HTTP status the API should answer with. Messages never contain file content.
 */
export type ImportErrorCode =
  | 'IMPORT_TOO_LARGE'
  | 'IMPORT_UNSUPPORTED_CHARSET'
  | 'IMPORT_MISSING_HEADER'
  | 'IMPORT_UNKNOWN_COLUMN'
  | 'IMPORT_DUPLICATE_COLUMN'
  | 'IMPORT_MISSING_COLUMN';

const statusOf: Record<ImportErrorCode, number> = {
  IMPORT_TOO_LARGE: 413,
  IMPORT_UNSUPPORTED_CHARSET: 415,
  IMPORT_MISSING_HEADER: 400,
  IMPORT_UNKNOWN_COLUMN: 400,
  IMPORT_DUPLICATE_COLUMN: 400,
  IMPORT_MISSING_COLUMN: 400,
};

export class ImportError extends Error {
  readonly status: number;
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ImportError';
    this.status = statusOf[code];
  }
}

export const isImportError = (e: unknown): e is ImportError => e instanceof ImportError;
