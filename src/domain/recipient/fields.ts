import { z } from 'zod';
import { isStorableText } from '../storableText.js';

/**
 * The one definition of each text field a recipient command carries: POST /v1/recipients, the corrections, a
 * transfer's `to`, and every line of a CSV import are checked by these same schemas, so a value one entrance
 * refuses the other refuses too. A rule that fails carries the import's field code in `params.code` (README).
 */

/**
 * C0 and C1 controls and DEL: no name, address or code means them, and they hide or rewrite text in logs, exports
 * and terminals. Tab, LF and CR are let through: they are white space, which every field folds to one space (and
 * a quoted CSV field may span lines), so a code holding one still fails its own pattern.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Bidirectional-text controls (U+061C, U+200E/F, U+202A–E, U+2066–9): they make a value display as another. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const isPlainText = (s: string): boolean => !CONTROL.test(s) && !BIDI.test(s) && isStorableText(s);

export const PLAIN_TEXT_MESSAGE = 'contains a control character, a bidirectional-text control, a NUL or an unpaired surrogate';
const invalidCharacters = { message: PLAIN_TEXT_MESSAGE, params: { code: 'INVALID_CHARACTERS' } };

/** Free text of at most `max` characters. */
export const plainText = (max: number) => z.string().max(max, `longer than ${max} characters`).refine(isPlainText, invalidCharacters);
/** An identifier a clerk or nurse types: surrounding blanks dropped, and nothing left is not an identifier. */
export const codeText = (max: number) => z.string().trim().min(1, 'must not be blank').max(max, `longer than ${max} characters`).refine(isPlainText, invalidCharacters);

/** 宛名番号 as resident-register systems issue it: digits, letters and hyphens (full-width ones count as typed). */
const ADDRESS_NUMBER = /^[0-9A-Za-z-]+$/;
export const canonicalAddressNumber = (s: string): string => s.normalize('NFKC').trim();

export const RecipientFields = {
  name: plainText(100),
  nameKana: plainText(100),
  address: plainText(300),
  addressNumber: codeText(20).refine((s) => !isPlainText(s) || ADDRESS_NUMBER.test(canonicalAddressNumber(s)), {
    message: 'only digits, letters and hyphens are allowed',
    params: { code: 'INVALID_ADDRESS_NUMBER' },
  }),
} as const;
export type RecipientTextField = keyof typeof RecipientFields;

/** The import's field code for a failed rule of these schemas. */
export const fieldCodeOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'too_big') return 'TOO_LONG';
  if (issue.code === 'too_small') return 'REQUIRED';
  const code = (issue as { params?: { code?: unknown } }).params?.code;
  return typeof code === 'string' ? code : 'INVALID_VALUE';
};
