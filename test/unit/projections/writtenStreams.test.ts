import { describe, expect, it } from '@jest/globals';
import { writtenStreams } from '../../../src/projections/recipientStatus/writtenStreams.js';

const stream = (i: number) => `recipient-131016-${String(i).padStart(10, '0')}`;

describe('writtenStreams', () => {
  it('never says "not written" of a stream it was given (the loader would then skip its stored row)', () => {
    const w = writtenStreams(1 << 12); // small on purpose: crowded, yet still no false negative
    for (let i = 0; i < 5000; i += 2) w.add(stream(i));
    for (let i = 0; i < 5000; i += 2) expect(w.mightHave(stream(i))).toBe(true);
  });

  it('says "not written" of nearly every stream it was not given at its default size', () => {
    const w = writtenStreams();
    for (let i = 0; i < 100_000; i++) w.add(stream(i));
    let maybe = 0;
    for (let i = 100_000; i < 200_000; i++) if (w.mightHave(stream(i))) maybe++;
    expect(maybe).toBeLessThan(100);
  });
});
