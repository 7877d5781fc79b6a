// CJK compatibility ideographs (e.g. U+FA19 神) are distinct registered name glyphs; NFKC would
// fold them into their unified forms and change how a person's name is written.
const compatIdeographs = /([\uF900-\uFAFF]|[\u{2F800}-\u{2FA1F}])/u;

/** Printable ASCII with single inner spaces only: NFKC, collapsing and trimming leave it as it is. */
const plainAscii = /^[\x21-\x7E]+(?: [\x21-\x7E]+)*$/;

/** NFKC (full-width digits and letters to ASCII, half-width kana to full-width), spaces collapsed, trimmed. */
export const normalizeText = (s: string): string => {
  // Fast paths (10 fields per imported row): the same answer as the general case below, without its arrays.
  if (plainAscii.test(s)) return s;
  const normalized = compatIdeographs.test(s)
    ? s
        .split(compatIdeographs)
        .map((part) => (compatIdeographs.test(part) ? part : part.normalize('NFKC')))
        .join('')
    : s.normalize('NFKC');
  return normalized.replace(/\s+/g, ' ').trim();
};

/** Hiragana to katakana (ぁ..ゖ and ゝゞ shift by 0x60), for the kana column only. */
export const hiraganaToKatakana = (s: string): string =>
  s.replace(/[\u3041-\u3096\u309D\u309E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
