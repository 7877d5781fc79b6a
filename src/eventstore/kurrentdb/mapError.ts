import { ErrorType, type AppendStreamState, type CurrentStreamState } from '@kurrent/kurrentdb-client';
import { StreamVersionConflictError } from '../errors.js';
import { describeCurrentState, describeExpected, fromStreamState } from './expectedVersion.js';

type WrongVersion = { type: string; streamName?: string; expectedState?: AppendStreamState; actualState?: CurrentStreamState };

/** The client's optimistic-concurrency failures (single or multi-stream append). */
export const isVersionConflict = (e: unknown): e is WrongVersion =>
  !!e &&
  typeof e === 'object' &&
  ((e as WrongVersion).type === ErrorType.WRONG_EXPECTED_VERSION ||
    (e as WrongVersion).type === ErrorType.APPEND_CONSISTENCY_VIOLATION);

/**
 * The client's error as the contract's, where there is one: a wrong expected version becomes
 * StreamVersionConflictError with versions in the contract's 1-based numbering. Anything else is returned as is.
 */
export const toStoreError = (e: unknown, stream?: string): unknown => {
  if (!isVersionConflict(e)) return e;
  const name = e.streamName || stream || 'unknown';
  const expected = e.expectedState === undefined ? 'unknown' : describeExpected(fromStreamState(e.expectedState));
  const actual = e.actualState === undefined ? 'unknown' : describeCurrentState(e.actualState);
  return new StreamVersionConflictError(name, expected, actual);
};

/** A read of a stream that does not exist is an empty stream for the contract. */
export const isStreamNotFound = (e: unknown): boolean =>
  !!e && typeof e === 'object' && (e as { type?: string }).type === ErrorType.STREAM_NOT_FOUND;
