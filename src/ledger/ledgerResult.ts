import type { DomainError, Result } from '../domain/index.js';

export type LedgerResult = { stream: string; version: bigint; positions: bigint[]; duplicate: boolean };

/** A refused command surfaces as its DomainError (mapped to HTTP in src/api/errorMapping.ts). */
export const orThrow = <T>(r: Result<T, DomainError>): T => {
  if (!r.ok) throw r.error;
  return r.value;
};
