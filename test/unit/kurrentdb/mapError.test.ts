import { describe, it, expect } from '@jest/globals';
import { AppendConsistencyViolationError, ErrorType, NO_STREAM, STREAM_EXISTS, StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { StreamVersionConflictError } from '../../../src/eventstore/errors.js';
import { isStreamNotFound, isVersionConflict, toStoreError } from '../../../src/eventstore/kurrentdb/mapError.js';

const wrong = (expected: bigint | typeof NO_STREAM | typeof STREAM_EXISTS, current: bigint | typeof NO_STREAM) =>
  new WrongExpectedVersionError(undefined, { streamName: 'recipient-1', expected, current });

describe('KurrentDB error mapping', () => {
  it('turns a wrong expected revision into the contract conflict, in 1-based versions', () => {
    const mapped = toStoreError(wrong(0n, 4n));
    expect(mapped).toBeInstanceOf(StreamVersionConflictError);
    expect(mapped).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', details: { stream: 'recipient-1', expected: '1', actual: '5' } });
  });

  it('names no_stream / exists on either side', () => {
    expect(toStoreError(wrong(NO_STREAM, 0n))).toMatchObject({ details: { expected: 'no_stream', actual: '1' } });
    expect(toStoreError(wrong(STREAM_EXISTS, NO_STREAM))).toMatchObject({ details: { expected: 'exists', actual: 'no_stream' } });
  });

  it('maps a multi-stream consistency violation to the same conflict', () => {
    const violation = Object.assign(Object.create(AppendConsistencyViolationError.prototype), {
      type: ErrorType.APPEND_CONSISTENCY_VIOLATION,
    });
    expect(isVersionConflict(violation)).toBe(true);
    expect(toStoreError(violation, 'transfer-a')).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', details: { stream: 'transfer-a' } });
  });

  it('passes every other error through untouched', () => {
    const other = new Error('network down');
    expect(toStoreError(other)).toBe(other);
    expect(toStoreError(undefined)).toBeUndefined();
    expect(isVersionConflict(new StreamNotFoundError(undefined, 'x'))).toBe(false);
  });

  it('recognises a missing stream, which reads as empty', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'x'))).toBe(true);
    expect(isStreamNotFound(wrong(0n, 1n))).toBe(false);
    expect(isStreamNotFound(new Error('x'))).toBe(false);
  });

  it('does not leak event content into the message', () => {
    const mapped = toStoreError(wrong(2n, 3n)) as Error;
    expect(mapped.message).toBe('stream recipient-1 is at version 4, expected 3');
  });
});
