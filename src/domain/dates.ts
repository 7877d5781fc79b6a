/**
 * Calendar dates as 'YYYY-MM-DD' strings. Vaccination dates are Japanese calendar days, never
 * UTC instants, so the arithmetic is on (year, month, day) with integer day numbers.
 */
export type CalendarDate = string;

const pattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

const parts = (date: string): [number, number, number] => {
  const m = pattern.exec(date);
  if (!m) throw new RangeError('not a calendar date');
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

const format = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

export const isCalendarDate = (s: unknown): s is CalendarDate => {
  if (typeof s !== 'string') return false;
  const m = pattern.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1800 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
};

// Days since 1970-01-01 (Howard Hinnant's days_from_civil), exact for any Gregorian date.
const toDayNumber = (date: string): number => {
  const [y0, m, d] = parts(date);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

const fromDayNumber = (z0: number): string => {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return format(y, m, d);
};

export const addDays = (date: string, n: number): string => fromDayNumber(toDayNumber(date) + n);

/** Days from `from` to `to` (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number => toDayNumber(to) - toDayNumber(from);

/**
 * n calendar months later on the same day of the month; where that day does not exist in the
 * target month, the 1st of the month after (MHLW: 31 Jan + 3 months = 1 May).
 */
export const addCalendarMonths = (date: string, n: number): string => {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  if (d <= daysInMonth(ty, tm)) return format(ty, tm, d);
  return tm === 12 ? format(ty + 1, 1, 1) : format(ty, tm + 1, 1);
};

/** n years later, same rule for 29 Feb (→ 1 Mar in a common year). */
export const addYears = (date: string, n: number): string => addCalendarMonths(date, n * 12);

export const compareDates = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Age in whole years on `date`. Under 年齢計算ニ関スル法律 a year is completed at the end of the day
 * before the birthday, so on the birthday itself the new age holds. For a 29 Feb birthday in a
 * common year the day before is 28 Feb, whose end is the start of 1 Mar: the age turns over on
 * 1 Mar here (we count ages on whole days, as eligibility is decided per vaccination day).
 */
export const ageOn = (birthDate: string, date: string): number => {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(date);
  const beforeBirthday = m < bm || (m === bm && d < bd);
  return y - by - (beforeBirthday ? 1 : 0);
};

/** Japan Standard Time is UTC+9 with no daylight saving (none since 1951), so no time-zone database is needed. */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The calendar day in Japan at the instant `now` (the caller supplies the clock). */
export const tokyoToday = (now: Date): string => new Date(now.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
