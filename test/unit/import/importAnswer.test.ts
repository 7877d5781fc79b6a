import { describe, it, expect } from '@jest/globals';
import { addOutcome, emptyAnswer, MAX_LISTED_REJECTIONS, rejectedCount, type BatchOutcome } from '../../../src/import/importAnswer.js';

const batch = (first: number, rejections: number): BatchOutcome => ({
  imported: 2,
  duplicates: 1,
  rejected: Array.from({ length: rejections }, (_, i) => ({ line: first + i, errors: [{ field: 'birthDate', code: 'INVALID_DATE', message: 'birthDate: not a date' }] })),
  lastLine: first + rejections,
});

describe('the import answer', () => {
  it('lists every rejected line while there are few, with no total', () => {
    const answer = addOutcome(addOutcome(emptyAnswer(), batch(2, 3)), batch(10, 2));
    expect(answer).toEqual({ imported: 4, duplicates: 2, rejected: expect.any(Array) });
    expect(answer.rejected.map((r) => r.line)).toEqual([2, 3, 4, 10, 11]);
    expect(rejectedCount(answer)).toBe(5);
  });

  it('lists the first ten thousand rejected lines and counts them all, so memory stays bounded', () => {
    let answer = emptyAnswer();
    for (let b = 0; b < 25; b++) answer = addOutcome(answer, batch(2 + b * 1000, 1000));
    expect(answer.rejected).toHaveLength(MAX_LISTED_REJECTIONS);
    expect(answer.rejected.at(-1)!.line).toBe(2 + MAX_LISTED_REJECTIONS - 1);
    expect(answer.rejectedTotal).toBe(25_000);
    expect(rejectedCount(answer)).toBe(25_000);
    expect({ imported: answer.imported, duplicates: answer.duplicates }).toEqual({ imported: 50, duplicates: 25 });
  });
});
