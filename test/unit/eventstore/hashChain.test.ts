import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, chainHash, chainHashOfJson, ZERO_HASH } from '../../../src/eventstore/hashChain.js';

/** The chain's definition, written out: SHA-256(previous ‖ canonical JSON of {type, data, metadata, stream, version}). */
const byDefinition = (prev: string, e: { stream: string; version: bigint; type: string; data: unknown; metadata: unknown }) =>
  createHash('sha256')
    .update(Buffer.from(prev, 'hex'))
    .update(canonicalJson({ type: e.type, data: e.data, metadata: e.metadata, stream: e.stream, version: e.version.toString() }))
    .digest('hex');

describe('hash chain', () => {
  it('hashes the same text from pre-serialised data and metadata as from the objects', () => {
    fc.assert(
      fc.property(
        fc.string(), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()),
        (stream, version, type, data, metadata) => {
          const expected = byDefinition(ZERO_HASH, { stream, version, type, data, metadata });
          expect(chainHash(ZERO_HASH, { stream, version, type, data, metadata })).toBe(expected);
          expect(chainHashOfJson(ZERO_HASH, { stream, version, type, dataJson: canonicalJson(data), metadataJson: canonicalJson(metadata) })).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('serialises as JSON.stringify does, with keys sorted (a Date as its ISO text, undefined left out)', () => {
    const at = new Date('2026-11-25T00:00:00.000Z');
    expect(canonicalJson({ b: 1, a: at, c: undefined, d: [undefined, 2] })).toBe('{"a":"2026-11-25T00:00:00.000Z","b":1,"d":[null,2]}');
    expect(JSON.parse(canonicalJson({ z: { y: 1, x: [1, 'a'] } }))).toEqual({ z: { y: 1, x: [1, 'a'] } });
  });
});
