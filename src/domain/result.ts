import type { DomainError } from './errors.js';

/** The outcome of a pure decision: a value or a domain error, never a throw. */
export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const err = <E = DomainError>(error: E): { ok: false; error: E } => ({ ok: false, error });
