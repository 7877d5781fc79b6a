import { ANY, NO_STREAM, STREAM_EXISTS, type AppendStreamState, type CurrentStreamState } from '@kurrent/kurrentdb-client';
import type { ExpectedVersion } from '../contract.js';

/** Contract versions are 1-based (first event = 1); KurrentDB revisions are 0-based (first event = 0). */
export const versionToRevision = (version: bigint): bigint => version - 1n;
export const revisionToVersion = (revision: bigint): bigint => revision + 1n;

/** The contract's expectation as KurrentDB's stream state. Version 0 means "no events yet" = NO_STREAM. */
export const toStreamState = (expected: ExpectedVersion): AppendStreamState => {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (expected === 'exists') return STREAM_EXISTS;
  return expected === 0n ? NO_STREAM : versionToRevision(expected);
};

/** KurrentDB's stream state back as the contract's expectation. */
export const fromStreamState = (state: AppendStreamState): ExpectedVersion => {
  if (state === NO_STREAM) return 'no_stream';
  if (state === ANY) return 'any';
  if (state === STREAM_EXISTS) return 'exists';
  return revisionToVersion(state);
};

/** The server's "actual" state as the contract describes it: a version, or `no_stream`. */
export const describeCurrentState = (state: CurrentStreamState): string =>
  state === NO_STREAM || state < 0n ? 'no_stream' : revisionToVersion(state).toString();

export const describeExpected = (e: ExpectedVersion): string => (typeof e === 'bigint' ? e.toString() : e);

/** The stream's head as this adapter reads it before a write: its version, and the hash of its last event. */
export type StreamHead = { version: bigint; hash: string };

/** Does the stream's current head satisfy the caller's expectation? (Checked before writing, as in Postgres.) */
export const satisfies = (expected: ExpectedVersion, head: StreamHead | undefined): boolean =>
  expected === 'any' ||
  (expected === 'no_stream' && !head) ||
  (expected === 'exists' && !!head) ||
  (typeof expected === 'bigint' && expected === (head?.version ?? 0n));

/** The exact state we send with a write computed from `head`: the chain hashes are only right on that head. */
export const exactStateFor = (head: StreamHead | undefined): AppendStreamState =>
  head ? versionToRevision(head.version) : NO_STREAM;
