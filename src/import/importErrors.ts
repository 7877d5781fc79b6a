import { CodedError } from '../domain/errors.js';

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

/**
 * The import's part of the one error table (src/api/errorMapping.ts spreads it in, typed complete): an ImportError
 * carries its status, so the CLI and the import's own tests see the answer a file would get over HTTP.
 */
export const importErrorStatus: Record<ImportErrorCode, number> = {
  IMPORT_TOO_LARGE: 413,
  IMPORT_UNSUPPORTED_CHARSET: 415,
  IMPORT_MISSING_HEADER: 400,
  IMPORT_UNKNOWN_COLUMN: 400,
  IMPORT_DUPLICATE_COLUMN: 400,
  IMPORT_MISSING_COLUMN: 400,
};

export class ImportError extends CodedError<ImportErrorCode> {
  readonly status: number = importErrorStatus[this.code];
}

export const isImportError = (e: unknown): e is ImportError => e instanceof ImportError;
