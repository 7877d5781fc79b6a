import { ImportError } from './importErrors.js';

export const recipientFields = [
  'municipality',
  'coupon',
  'addressNumber',
  'name',
  'nameKana',
  'birthDate',
  'sex',
  'address',
  'myNumber',
  'medicalWorker',
] as const;
export type RecipientField = (typeof recipientFields)[number];

/** Header names accepted per field, compared after NFKC, lower-casing and removing spaces, `_`, `-`. */
const aliases: Record<RecipientField, string[]> = {
  municipality: ['自治体コード', '市区町村コード', '市町村コード', 'municipality', 'municipalitycode'],
  coupon: ['券番号', '接種券番号', 'coupon', 'couponnumber'],
  addressNumber: ['宛名番号', '個別宛名番号', 'addressnumber'],
  name: ['氏名', 'name'],
  nameKana: ['氏名カナ', 'カナ氏名', '氏名(カナ)', 'フリガナ', 'namekana'],
  birthDate: ['生年月日', 'birthdate'],
  sex: ['性別', 'sex'],
  address: ['住所', 'address'],
  myNumber: ['個人番号', 'マイナンバー', 'mynumber'],
  medicalWorker: ['医療従事者', 'medicalworker'],
};

const requiredFields: RecipientField[] = ['coupon', 'addressNumber', 'name', 'nameKana', 'birthDate', 'sex'];

const headerKey = (h: string): string =>
  h.normalize('NFKC').replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]/g, '');

const byAlias = new Map<string, RecipientField>(
  recipientFields.flatMap((f) => aliases[f].map((a) => [headerKey(a), f] as const)),
);

/** Which column index holds each field. */
export type ColumnMap = Partial<Record<RecipientField, number>>;

export type HeaderOptions = {
  /** The municipality is known from the caller (token or --municipality): the column becomes optional. */
  municipalityKnown?: boolean;
};

const columnLabel = (i: number) => `column ${i + 1}`;

/**
 * Maps a header row to fields. Header text is never echoed (a file without a header would put a
 * person's data here); errors name the column position and the accepted names instead.
 */
export const mapHeader = (header: string[], options: HeaderOptions = {}): ColumnMap => {
  const map: ColumnMap = {};
  const unknown: number[] = [];
  header.forEach((h, i) => {
    const field = byAlias.get(headerKey(h));
    if (!field) return unknown.push(i);
    if (map[field] !== undefined)
      throw new ImportError('IMPORT_DUPLICATE_COLUMN', `${columnLabel(i)} repeats the column ${field}`, {
        column: i + 1,
        field,
      });
    map[field] = i;
  });
  if (unknown.length > 0)
    throw new ImportError(
      'IMPORT_UNKNOWN_COLUMN',
      `${unknown.map(columnLabel).join(', ')}: unknown column name in the header; accepted names: ${acceptedNames()}`,
      { columns: unknown.map((i) => i + 1) },
    );
  const required = options.municipalityKnown ? requiredFields : ['municipality' as const, ...requiredFields];
  const missing = required.filter((f) => map[f] === undefined);
  if (missing.length > 0)
    throw new ImportError(
      'IMPORT_MISSING_COLUMN',
      `missing required column${missing.length > 1 ? 's' : ''}: ${missing.map((f) => `${aliases[f][0]}/${f}`).join(', ')}`,
      { fields: missing },
    );
  return map;
};

const acceptedNames = () => recipientFields.map((f) => `${aliases[f][0]}/${f}`).join(', ');
