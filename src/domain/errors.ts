/** Stable codes the API maps to HTTP (422 for a domain rule, 404/409 for the ones named so). */
export const domainErrorCodes = [
  'DOSE_OUT_OF_ORDER',
  'DOSE_INTERVAL_TOO_SHORT',
  'DATE_IN_FUTURE',
  'DATE_BEFORE_BIRTH',
  'SAME_DAY_DOSE',
  'AGE_NOT_ELIGIBLE',
  'RECIPIENT_NOT_FOUND',
  'RECIPIENT_NOT_ACTIVE',
  'ALREADY_REGISTERED',
  'MY_NUMBER_ALREADY_ACTIVE',
  'DOSE_NOT_FOUND',
  'DOSE_ALREADY_VOIDED',
  'DOSE_NOT_LAST',
  'INVALID_MUNICIPALITY_CODE',
  'INVALID_MY_NUMBER',
  'INVALID_COUPON_NUMBER',
  'INVALID_COUPON_LINE',
  'INVALID_DATE',
  'INVALID_KANA',
  'INVALID_LOT',
  'INVALID_NAME',
  'REASON_REQUIRED',
  'NO_CHANGES',
  'TRANSFER_SAME_MUNICIPALITY',
  'PERSONAL_DATA_ERASED',
  'INVALID_CONSENT',
  'DATE_BEFORE_PRODUCT_AVAILABLE',
  'DOSE_REFUSED',
  'NO_VALID_DOSES',
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];

/**
 * The one shape of an error with a stable code (each layer lists its codes; src/api/errorMapping.ts gives each its
 * HTTP status): a subclass per layer keeps `instanceof`, and its name is the subclass's.
 */
export class CodedError<Code extends string, Details = Record<string, unknown>> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details?: Details,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A broken domain rule. The message names the field and the reason only: it never
 * contains a personal value (name, kana, birth date, My Number digits).
 */
export class DomainError extends CodedError<DomainErrorCode, { field?: string; [k: string]: unknown }> {}

export const domainError = (
  code: DomainErrorCode,
  message: string,
  details?: { field?: string; [k: string]: unknown },
): DomainError => new DomainError(code, message, details);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/**
 * Refusals of a dose whose reason lies in the person, not in the request: their birth date (before birth, too
 * young), their history (dose number, order, same day, interval) or their status (moved out, erased). Told to a
 * site, each narrows down a personal value the site did not send (16 refused dates give a birth date), so a site
 * gets DOSE_REFUSED for all of them; a municipality, which may read the person, keeps the precise answer.
 * Not here: the request's own faults (INVALID_DATE, DATE_IN_FUTURE, DATE_BEFORE_PRODUCT_AVAILABLE, INVALID_LOT),
 * answered before the person is read, and RECIPIENT_NOT_FOUND (the coupon is in the site's hands).
 */
export const personDependentCodes: readonly DomainErrorCode[] = [
  'DATE_BEFORE_BIRTH',
  'AGE_NOT_ELIGIBLE',
  'DOSE_OUT_OF_ORDER',
  'DOSE_INTERVAL_TOO_SHORT',
  'SAME_DAY_DOSE',
  'RECIPIENT_NOT_ACTIVE',
  'PERSONAL_DATA_ERASED',
];

export const isPersonDependent = (e: unknown): boolean => e instanceof DomainError && personDependentCodes.includes(e.code);

/** The one answer a site gets for every person-dependent refusal: which rule, and any figure, stay unsaid. */
export const doseRefusedForSite = (): DomainError =>
  new DomainError(
    'DOSE_REFUSED',
    'この接種券では、この接種を記録できません。接種歴と接種券を自治体にご確認ください。This dose cannot be recorded for this coupon: the municipality can tell why.',
  );
