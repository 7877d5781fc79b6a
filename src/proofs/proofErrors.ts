import { CodedError } from '../domain/errors.js';

/** A proof or checkpoint that cannot be given; `code` is mapped to HTTP in src/api/errorMapping.ts. */
export const proofErrorCodes = [
  'LEAF_NOT_IN_LOG',
  'LEAF_AFTER_TREE_SIZE',
  'TREE_SIZE_BEYOND_LOG',
  'CHECKPOINT_NOT_FOUND',
  'PROOF_OUT_OF_RANGE',
  'LOG_BEHIND',
  'LOG_CORRUPT',
] as const;
export type ProofErrorCode = (typeof proofErrorCodes)[number];

export class ProofError extends CodedError<ProofErrorCode> {}
