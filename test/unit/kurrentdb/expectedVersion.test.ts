import { describe, it, expect } from '@jest/globals';
import { ANY, NO_STREAM, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import type { ExpectedVersion } from '../../../src/eventstore/contract.js';
import {
  describeCurrentState,
  exactStateFor,
  fromStreamState,
  revisionToVersion,
  satisfies,
  toStreamState,
  versionToRevision,
} from '../../../src/eventstore/kurrentdb/expectedVersion.js';

describe('KurrentDB expected-version mapping', () => {
  it('maps the contract expectations to stream states, versions 1-based to revisions 0-based', () => {
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(1n)).toBe(0n);
    expect(toStreamState(42n)).toBe(41n);
    // Version 0 = "no events yet": the only revision-free way to say that is NO_STREAM.
    expect(toStreamState(0n)).toBe(NO_STREAM);
  });

  it('maps stream states back', () => {
    expect(fromStreamState(NO_STREAM)).toBe('no_stream');
    expect(fromStreamState(ANY)).toBe('any');
    expect(fromStreamState(STREAM_EXISTS)).toBe('exists');
    expect(fromStreamState(0n)).toBe(1n);
    expect(fromStreamState(41n)).toBe(42n);
  });

  it.each<ExpectedVersion>(['no_stream', 'any', 'exists', 1n, 2n, 1000n])('round-trips %p', (e) => {
    expect(fromStreamState(toStreamState(e))).toBe(e);
  });

  it('converts versions and revisions as inverses', () => {
    for (const v of [1n, 2n, 10n, 2n ** 62n]) expect(revisionToVersion(versionToRevision(v))).toBe(v);
    expect(versionToRevision(1n)).toBe(0n);
  });

  it('describes the server state in contract versions', () => {
    expect(describeCurrentState(NO_STREAM)).toBe('no_stream');
    expect(describeCurrentState(0n)).toBe('1');
    expect(describeCurrentState(4n)).toBe('5');
    // Deleted (-5) and tombstoned (-6) streams have no events for the contract.
    expect(describeCurrentState(-5n)).toBe('no_stream');
  });

  it('checks an expectation against a head the way the Postgres adapter does', () => {
    const head = { version: 3n, hash: 'h' };
    expect(satisfies('any', undefined)).toBe(true);
    expect(satisfies('any', head)).toBe(true);
    expect(satisfies('no_stream', undefined)).toBe(true);
    expect(satisfies('no_stream', head)).toBe(false);
    expect(satisfies('exists', undefined)).toBe(false);
    expect(satisfies('exists', head)).toBe(true);
    expect(satisfies(3n, head)).toBe(true);
    expect(satisfies(2n, head)).toBe(false);
    expect(satisfies(0n, undefined)).toBe(true);
    expect(satisfies(0n, head)).toBe(false);
    expect(satisfies(1n, undefined)).toBe(false);
  });

  it('writes with the exact revision of the head it built the chain on', () => {
    expect(exactStateFor(undefined)).toBe(NO_STREAM);
    expect(exactStateFor({ version: 1n, hash: 'h' })).toBe(0n);
    expect(exactStateFor({ version: 7n, hash: 'h' })).toBe(6n);
  });
});
