import { eraEnd, findEra } from './eras.js';

export type DateResult = { ok: true; value: string } | { ok: false; code: 'INVALID_DATE' | 'DATE_OUTSIDE_ERA'; reason: string };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' when the day exists in the Gregorian calendar. */
const isoIfReal = (y: number, m: number, d: number): string | undefined => {
  if (y < 1 || m < 1 || m > 12 || d < 1) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
};

const gregorian = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/,
  /^(\d{4})(\d{2})(\d{2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];
const eraForms = [
  /^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$/,
  /^([MTSHRmtshr明大昭平令])(元|\d{1,2})[-/.](\d{1,2})[-/.](\d{1,2})$/,
];

const notADate: DateResult = {
  ok: false,
  code: 'INVALID_DATE',
  reason: 'must be a real date as YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or a Japanese era date (昭和45年3月1日, S45.03.01)',
};

/**
 * A date as municipal systems write it, to 'YYYY-MM-DD'. Expects NFKC-normalised text (so
 * full-width digits and ㍼ are already plain). Era dates must fall inside their era:
 * 平成31年5月1日 does not exist (that day is 令和元年5月1日).
 */
export const parseImportDate = (input: string): DateResult => {
  const s = input.replace(/\s+/g, '');
  for (const re of gregorian) {
    const m = re.exec(s);
    if (m) {
      const iso = isoIfReal(Number(m[1]), Number(m[2]), Number(m[3]));
      return iso ? { ok: true, value: iso } : notADate;
    }
  }
  for (const re of eraForms) {
    const m = re.exec(s);
    if (!m) continue;
    const era = findEra(m[1]);
    const eraYear = m[2] === '元' ? 1 : Number(m[2]);
    if (!era || eraYear < 1) return notADate;
    const iso = isoIfReal(era.offset + eraYear, Number(m[3]), Number(m[4]));
    if (!iso) return notADate;
    const end = eraEnd(era);
    if (iso < era.start || (end !== undefined && iso >= end))
      return { ok: false, code: 'DATE_OUTSIDE_ERA', reason: 'the date is outside the era it names' };
    return { ok: true, value: iso };
  }
  return notADate;
};
