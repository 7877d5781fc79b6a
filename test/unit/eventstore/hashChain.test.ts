import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, chainHash, chainHashBytes, chainHashOfJson, ZERO_HASH } from '../../../src/eventstore/hashChain.js';

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

/** canonicalJson as first written (Object.keys, the built-in sort, arrays of entries joined): the faster one must equal it. */
const canonicalByDefinition = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalByDefinition((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalByDefinition(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalByDefinition((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
};

describe('canonical JSON', () => {
  // Keys that sort differently by code unit than by code point or as numbers: surrogates, digits, upper case.
  const key = fc.oneof(fc.string(), fc.constantFrom('10', '9', '', 'a', 'B', '\uFF21', '\u{1F600}', '\uE000', 'a\u0000', 'z'));
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue(),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(key, tie('v'), { maxKeys: 6 }),
    ),
  })).v;

  it('writes every value exactly as the definition does (key order by UTF-16 code units, undefined left out)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(canonicalByDefinition(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('hashes in bytes what it hashes in hex', () => {
    const prev = createHash('sha256').update('x').digest();
    const e = { stream: 'recipient-131016-1234567890', version: 2n, type: 'T', dataJson: '{"a":"\u00e9"}', metadataJson: '{"b":1}' };
    expect(chainHashBytes(prev, e).toString('hex')).toBe(chainHashOfJson(prev.toString('hex'), e));
    expect(chainHashOfJson(prev.toString('hex'), e)).toBe(byDefinition(prev.toString('hex'), { ...e, data: { a: '\u00e9' }, metadata: { b: 1 } }));
  });
});
