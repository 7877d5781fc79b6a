import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { comparePositions, decodeCheckpoint, encodeCheckpoint, isAfter } from '../../../src/eventstore/kurrentdb/position.js';

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('KurrentDB checkpoint encoding', () => {
  it('round-trips any commit/prepare pair', () => {
    fc.assert(
      fc.property(u64, u64, (commit, prepare) => {
        expect(decodeCheckpoint(encodeCheckpoint({ commit, prepare }))).toEqual({ commit, prepare });
      }),
    );
  });

  it('writes <commit>:<prepare>', () => {
    expect(encodeCheckpoint({ commit: 1234n, prepare: 1200n })).toBe('1234:1200');
  });

  it('reads no checkpoint as the start of the log', () => {
    expect(decodeCheckpoint(undefined)).toBeUndefined();
    expect(decodeCheckpoint('')).toBeUndefined();
  });

  it.each(['12', '12:', ':12', 'a:1', '1:2:3', '-1:2', ' 1:2'])('refuses the malformed token %p', (token) => {
    expect(() => decodeCheckpoint(token)).toThrow(RangeError);
  });

  it('orders by commit position, then prepare position', () => {
    const sorted = [
      { commit: 10n, prepare: 10n },
      { commit: 10n, prepare: 12n },
      { commit: 11n, prepare: 5n },
      { commit: 200n, prepare: 200n },
    ];
    const shuffled = [sorted[2], sorted[0], sorted[3], sorted[1]];
    expect([...shuffled].sort(comparePositions)).toEqual(sorted);
    expect(comparePositions(sorted[1], { commit: 10n, prepare: 12n })).toBe(0);
  });

  it('agrees with the numeric order of the pair (tokens are not compared as text)', () => {
    fc.assert(
      fc.property(u64, u64, u64, u64, (c1, p1, c2, p2) => {
        const a = decodeCheckpoint(encodeCheckpoint({ commit: c1, prepare: p1 }))!;
        const b = decodeCheckpoint(encodeCheckpoint({ commit: c2, prepare: p2 }))!;
        const expected = c1 !== c2 ? Math.sign(Number(c1 - c2)) : Math.sign(Number(p1 - p2));
        expect(comparePositions(a, b)).toBe(expected);
      }),
    );
    expect(comparePositions({ commit: 9n, prepare: 9n }, { commit: 10n, prepare: 10n })).toBe(-1);
  });

  it('treats a read position as inclusive: only strictly later events are after a checkpoint', () => {
    const cp = { commit: 100n, prepare: 100n };
    expect(isAfter({ commit: 100n, prepare: 100n }, cp)).toBe(false);
    expect(isAfter({ commit: 99n, prepare: 120n }, cp)).toBe(false);
    expect(isAfter({ commit: 100n, prepare: 101n }, cp)).toBe(true);
    expect(isAfter({ commit: 101n, prepare: 0n }, cp)).toBe(true);
    expect(isAfter({ commit: 0n, prepare: 0n }, undefined)).toBe(true);
  });
});
