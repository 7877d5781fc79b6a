import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normalizeText } from '../../../src/import/normalizeText.js';

/** normalizeText as first written (every text split at compatibility ideographs): the fast paths must equal it. */
const compatIdeographs = /([\uF900-\uFAFF]|[\u{2F800}-\u{2FA1F}])/u;
const byDefinition = (s: string): string =>
  s
    .split(compatIdeographs)
    .map((part) => (compatIdeographs.test(part) ? part : part.normalize('NFKC')))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();

describe('normalizeText', () => {
  // ASCII (with spaces, tabs, line breaks, controls), full-width and half-width forms, kana, ideographs, compatibility ideographs.
  const char = fc.oneof(
    fc.constantFrom(' ', '  ', '\t', '\n', '\r', '\u3000', '\u00A0', '\u0000', '\u007F', '-', '1', 'a', 'Z', '~'),
    fc.constantFrom('１', 'Ａ', 'ｶ', 'ﾞ', 'ｶﾞ', 'ア', 'あ', '山', '神', '\uFA19', '\u{2F800}', '\u{2FA1D}', '①', '㍻', 'é', 'e\u0301'),
    fc.string({ maxLength: 1 }),
    fc.string({ unit: 'binary', maxLength: 1 }),
  );
  it('answers as the definition does on any text', () => {
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const s = chars.join('');
        expect(normalizeText(s)).toBe(byDefinition(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps compatibility ideographs and plain ASCII as written', () => {
    expect(normalizeText(' \uFA19田　太郎 ')).toBe('\uFA19田 太郎');
    expect(normalizeText('1-2-3 Main St.')).toBe('1-2-3 Main St.');
    expect(normalizeText(' A  B\t')).toBe('A B');
  });
});
