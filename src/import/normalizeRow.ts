import { parseCouponNumber } from '../domain/codes/couponNumber.js';
import { parseMunicipalityCode } from '../domain/codes/municipalityCode.js';
import { parseMyNumber } from '../domain/codes/myNumber.js';
import type { z } from 'zod';
import { isKatakanaName, normalizeKana } from '../domain/kana.js';
import { fieldCodeOf, RecipientFields } from '../domain/recipient/fields.js';
import { normalizeText } from './normalizeText.js';
import { parseImportDate } from './parseImportDate.js';
import { parseMedicalWorker } from './parseMedicalWorker.js';
import { parseSex, type Sex } from './parseSex.js';
import type { RawRecipientRow } from './parseRecipientRows.js';
import { recipientFields, type RecipientField } from './recipientColumns.js';

const fieldOrder = (f: string) => recipientFields.indexOf(f as RecipientField);
import { rowError, type RowError } from './rowError.js';

/** The body of POST /v1/recipients; the caller still runs it through the shared schema and decider. */
export type ImportedRecipient = {
  municipality: string;
  coupon: string;
  addressNumber: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: Sex;
  address?: string;
  myNumber?: string;
  medicalWorker?: boolean;
};

export type NormalizeOptions = {
  /** The caller's municipality: used when the column is absent or empty, and a different code is rejected. */
  municipality?: string;
};

export type NormalizedRow = { ok: true; value: ImportedRecipient } | { ok: false; errors: RowError[] };

type CodeResult = { ok: true; value: string } | { ok: false; error: { code: string; message: string } };

// The same kana rule as POST /v1/recipients (src/domain/kana.ts).
const parseKana = (s: string): CodeResult => {
  const value = normalizeKana(s);
  return isKatakanaName(value)
    ? { ok: true, value }
    : { ok: false, error: { code: 'INVALID_KANA', message: 'nameKana: must be katakana (hiragana and half-width kana are converted)' } };
};

/** The fields whose rules are the register schema's own (src/domain/recipient/fields.ts), applied here as written. */
const sharedRules: Partial<Record<RecipientField, z.ZodType<string>>> = RecipientFields;

/**
 * One raw CSV row to the register body: NFKC, half-width kana to full-width, hiragana to katakana
 * for the kana, dates (incl. Japanese eras) to YYYY-MM-DD, sex to M/F/U. All problems of the row
 * are reported together; messages name the field and the reason and never contain the value.
 */
export const normalizeRow = (raw: RawRecipientRow, options: NormalizeOptions = {}): NormalizedRow => {
  const errors: RowError[] = [];
  const text: Partial<Record<RecipientField, string>> = {};
  for (const field of Object.keys(raw) as RecipientField[]) {
    const value = raw[field];
    if (value === undefined) continue;
    if (value.includes('\uFFFD')) {
      errors.push(rowError(field, 'INVALID_ENCODING', `${field}: contains bytes that are not valid in the file's encoding`));
      continue;
    }
    const t = normalizeText(value);
    const rule = sharedRules[field];
    const checked = rule && t !== '' ? rule.safeParse(t) : undefined;
    if (checked && !checked.success) {
      const issue = checked.error.issues[0];
      errors.push(rowError(field, fieldCodeOf(issue), `${field}: ${issue.message}`));
      continue;
    }
    if (t !== '') text[field] = t;
  }
  const failed = new Set(errors.map((e) => e.field));
  const required = (field: RecipientField): string | undefined => {
    const t = text[field];
    if (t === undefined && !failed.has(field)) errors.push(rowError(field, 'REQUIRED', `${field}: is required`));
    return t;
  };
  const code = (field: RecipientField, r: CodeResult): string | undefined => {
    if (r.ok) return r.value;
    errors.push(rowError(field, r.error.code, r.error.message));
    return undefined;
  };

  let municipality: string | undefined;
  const m = text.municipality;
  if (m !== undefined) {
    municipality = code('municipality', parseMunicipalityCode(m, 'municipality'));
    if (municipality !== undefined && options.municipality !== undefined && municipality !== options.municipality)
      errors.push(rowError('municipality', 'MUNICIPALITY_MISMATCH', 'municipality: is not the municipality importing the file'));
  } else if (options.municipality !== undefined && !failed.has('municipality')) municipality = options.municipality;
  else required('municipality');

  const c = required('coupon');
  const coupon = c === undefined ? undefined : code('coupon', parseCouponNumber(c, 'coupon'));

  const addressNumber = required('addressNumber');

  const name = required('name');
  const k = required('nameKana');
  const nameKana = k === undefined ? undefined : code('nameKana', parseKana(k));

  const b = required('birthDate');
  const date = b === undefined ? undefined : parseImportDate(b);
  if (date && !date.ok) errors.push(rowError('birthDate', date.code, `birthDate: ${date.reason}`));

  const s = required('sex');
  const sex = s === undefined ? undefined : parseSex(s);
  if (s !== undefined && sex === undefined)
    errors.push(rowError('sex', 'INVALID_SEX', 'sex: must be 1/2/9, 男/女, or M/F/U'));

  const myNumber = text.myNumber === undefined ? undefined : code('myNumber', parseMyNumber(text.myNumber, 'myNumber'));

  const medicalWorker = text.medicalWorker === undefined ? undefined : parseMedicalWorker(text.medicalWorker);
  if (text.medicalWorker !== undefined && medicalWorker === undefined)
    errors.push(rowError('medicalWorker', 'INVALID_MEDICAL_WORKER', 'medicalWorker: must be 1/0, yes/no or はい/いいえ'));

  // In column order (municipality, coupon, addressNumber, …), whichever check found them.
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field)) };
  return {
    ok: true,
    value: {
      municipality: municipality!,
      coupon: coupon!,
      addressNumber: addressNumber!,
      name: name!,
      nameKana: nameKana!,
      birthDate: (date as { value: string }).value,
      sex: sex!,
      ...(text.address !== undefined ? { address: text.address } : {}),
      ...(myNumber !== undefined ? { myNumber } : {}),
      ...(medicalWorker !== undefined ? { medicalWorker } : {}),
    },
  };
};
