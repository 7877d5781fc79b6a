import type { FastifyError } from 'fastify';
import { ZodError } from 'zod';
import { ApiError } from './apiError.js';
import { safeText } from './safePath.js';
import { isDatabaseUnavailable } from '../eventstore/databaseUnavailable.js';
import type { DomainErrorCode } from '../domain/errors.js';
import type { StoreErrorCode } from '../eventstore/errors.js';
import { importErrorStatus, type ImportErrorCode } from '../import/importErrors.js';
import type { LedgerErrorCode } from '../ledger/idempotencyKeyReusedError.js';
import type { ImageErrorCode } from '../ocr/errors.js';
import type { ProjectionErrorCode } from '../projections/rebuild/rebuildErrors.js';
import type { AccountErrorCode } from '../accounts/errors.js';
import type { ProofErrorCode } from '../proofs/proofErrors.js';
import type { ScanErrorCode } from '../scans/errors.js';

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };
export type HttpError = { status: number; body: ErrorBody; headers?: Record<string, string> };

/** Codes the HTTP layer raises itself, besides an ApiError (which names its own status where it is thrown). */
export const httpErrorCodes = ['HEADERS_TOO_LARGE', 'REQUEST_TIMEOUT', 'MALFORMED_REQUEST', 'DATABASE_UNAVAILABLE'] as const;
type HttpErrorCode = (typeof httpErrorCodes)[number];

/** Every code a layer can raise: adding one there without a status here does not compile. */
export type ErrorCode = HttpErrorCode | DomainErrorCode | LedgerErrorCode | StoreErrorCode | ProjectionErrorCode | ImportErrorCode | ScanErrorCode | ImageErrorCode | ProofErrorCode | AccountErrorCode;

/** The one table of HTTP statuses (the API's own ApiError names its status where it is thrown). */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  // domain rules: 422 unless the rule is "not there" (404) or "already there" (409)
  DOSE_OUT_OF_ORDER: 422,
  DOSE_INTERVAL_TOO_SHORT: 422,
  DATE_IN_FUTURE: 422,
  DATE_BEFORE_BIRTH: 422,
  SAME_DAY_DOSE: 422,
  AGE_NOT_ELIGIBLE: 422,
  RECIPIENT_NOT_FOUND: 404,
  RECIPIENT_NOT_ACTIVE: 422,
  ALREADY_REGISTERED: 409,
  MY_NUMBER_ALREADY_ACTIVE: 409,
  DOSE_NOT_FOUND: 404,
  DOSE_ALREADY_VOIDED: 422,
  DOSE_NOT_LAST: 422,
  INVALID_MUNICIPALITY_CODE: 422,
  INVALID_MY_NUMBER: 422,
  INVALID_COUPON_NUMBER: 422,
  INVALID_COUPON_LINE: 422,
  INVALID_DATE: 422,
  INVALID_KANA: 422,
  INVALID_LOT: 422,
  INVALID_NAME: 422,
  REASON_REQUIRED: 422,
  NO_CHANGES: 422,
  TRANSFER_SAME_MUNICIPALITY: 422,
  PERSONAL_DATA_ERASED: 422,
  INVALID_CONSENT: 422,
  DATE_BEFORE_PRODUCT_AVAILABLE: 422,
  DOSE_REFUSED: 422,
  NO_VALID_DOSES: 422,
  // ledger and store
  IDEMPOTENCY_KEY_REUSED: 409,
  STREAM_VERSION_CONFLICT: 409,
  INVALID_EVENT: 400,
  STORE_CAPABILITY_MISSING: 503,
  // read models
  INVALID_CURSOR: 400,
  REBUILD_IN_PROGRESS: 409,
  PROJECTION_NOT_FOUND: 404,
  // transparency-log proofs and checkpoints
  LEAF_NOT_IN_LOG: 404,
  CHECKPOINT_NOT_FOUND: 404,
  LEAF_AFTER_TREE_SIZE: 422,
  TREE_SIZE_BEYOND_LOG: 422,
  PROOF_OUT_OF_RANGE: 400,
  LOG_BEHIND: 503,
  LOG_CORRUPT: 503,
  // a whole-file import problem (the import's errors carry their status: see importErrors.ts)
  ...importErrorStatus,
  // scans and their images
  SCAN_NOT_FOUND: 404,
  SCAN_ALREADY_RECORDED: 409,
  SCAN_BUSY: 409,
  UNSUPPORTED_IMAGE: 415,
  IMAGE_UNREADABLE: 422,
  IMAGE_TOO_LARGE: 413,
  // the HTTP layer's own: the parser's errors (clientErrors.ts) and an unreachable database
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  MALFORMED_REQUEST: 400,
  DATABASE_UNAVAILABLE: 503,
  // accounts and sessions
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  SIGN_IN_FAILED: 401,
  SIGN_IN_LOCKED: 429,
  SIGN_IN_RATE_LIMITED: 429,
};

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(STATUS_BY_CODE, code);

/** The status of a code from this table (400 for one it does not list: only the parser's codes ask). */
export const statusOf = (code: string): number => (isErrorCode(code) ? STATUS_BY_CODE[code] : 400);

/** Seconds a client should wait before retrying while PostgreSQL is unreachable (the embedded one restarts within a few). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** zod repeats unknown keys in its message; a client may have sent personal data as a key. */
const unknownKeys = (keys: unknown) => `unknown field: ${(Array.isArray(keys) ? keys : []).map((k) => safeText(String(k))).join(', ')}`;

const zodIssues = (e: ZodError) =>
  e.issues.map((i) => ({ field: i.path.join('.') || '(body)', code: i.code, message: i.code === 'unrecognized_keys' ? unknownKeys(i.keys) : i.message }));

/**
 * A concurrent writer got in first. Only a recipient stream is named: another stream's name (a My Number claim's
 * `mynumber-<HMAC>`) is a stable pseudonym of the person and stays on the server.
 */
const versionConflict = (details: Record<string, unknown> | undefined): { status: number; body: ErrorBody } => {
  const stream = typeof details?.stream === 'string' && details.stream.startsWith('recipient-') ? details.stream : undefined;
  const message = `${stream ? `${stream} was` : 'a record this request depends on was'} changed by another request meanwhile: read it again and retry`;
  return { status: 409, body: { error: { code: 'STREAM_VERSION_CONFLICT', message, ...(stream ? { details: { stream } } : {}) } } };
};

/** The one place where errors become HTTP answers. Anything unknown is a 500 with no detail. */
export const toHttpError = (e: unknown): HttpError => {
  if (e instanceof ApiError) return { status: e.status, body: { error: { code: e.code, message: e.message, details: e.details } } };
  if (e instanceof ZodError) {
    const issues = zodIssues(e);
    return { status: 400, body: { error: { code: 'INVALID_REQUEST', message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), details: { issues } } } };
  }
  const f = e as FastifyError & { validation?: unknown; code?: string; details?: Record<string, unknown> };
  if (f && typeof f === 'object' && 'validation' in f && f.validation) {
    const issues = Array.isArray(f.validation)
      ? (f.validation as { instancePath?: string; message?: string; keyword?: string; params?: { keys?: unknown } }[]).map((v) => ({
          field: (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '(body)',
          message: v.keyword === 'unrecognized_keys' ? unknownKeys(v.params?.keys) : (v.message ?? 'invalid'),
        }))
      : [];
    const where = f.validationContext ?? 'body';
    return {
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', message: `${where}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ') || f.message}`, details: { issues } } },
    };
  }
  if (f && typeof f === 'object' && f.code === 'STREAM_VERSION_CONFLICT') return versionConflict(f.details);
  if (f && typeof f === 'object' && typeof f.code === 'string' && isErrorCode(f.code)) {
    return { status: STATUS_BY_CODE[f.code], body: { error: { code: f.code, message: f.message, details: f.details } } };
  }
  if (f && typeof f === 'object' && typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    const code = f.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : f.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return { status: f.statusCode, body: { error: { code, message: f.message } } };
  }
  if (isDatabaseUnavailable(e)) {
    return {
      status: STATUS_BY_CODE.DATABASE_UNAVAILABLE,
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
      body: { error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable: retry shortly' } },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
};

/**
 * Errors fastify raises before routing (fastify's own answer echoes the raw URL, which may hold anything the
 * client typed): the API's shape, and a message that does not repeat the URL.
 */
export const toFrameworkError = (e: unknown): HttpError => {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'FST_ERR_BAD_URL') return { status: 400, body: { error: { code: 'BAD_URL', message: 'the URL is not validly percent-encoded UTF-8' } } };
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return { status: 414, body: { error: { code: 'URI_TOO_LONG', message: 'a path parameter is longer than allowed' } } };
  return toHttpError(e);
};
