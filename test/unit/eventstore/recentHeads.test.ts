import { describe, expect, it } from '@jest/globals';
import { createRecentHeads } from '../../../src/eventstore/postgres/recentHeads.js';
import type { Head } from '../../../src/eventstore/postgres/heads.js';

const head = (i: number): Head => ({ version: BigInt(i), hash: i.toString(16).padStart(64, '0') });
const stream = (i: number) => `recipient-131016-${String(i).padStart(10, '0')}`;

describe('recent heads', () => {
  it('stay within their byte bound however many streams are written, keeping the latest', () => {
    const bound = 64 * 1024;
    const heads = createRecentHeads(bound);
    for (let i = 0; i < 5000; i++) {
      heads.remember(new Map([[stream(i), head(i)]]));
      expect(heads.held().bytes).toBeLessThanOrEqual(bound);
    }
    const { entries } = heads.held();
    expect(entries).toBeGreaterThan(100);
    expect(entries).toBeLessThan(5000);
    const [latest] = heads.hint([{ stream: stream(4999), events: [], expected: 'any' }]);
    expect(latest.head).toEqual(head(4999));
    const [first] = heads.hint([{ stream: stream(0), events: [], expected: 'any' }]);
    expect(first.head).toBeUndefined();
  });
});
