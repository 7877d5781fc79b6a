import { ageOn } from './dates.js';

/** The open-data age bands: age on the vaccination date; unknown birth date → 'UNK'. */
export type AgeBand = '-64' | '65-' | 'UNK';

export const ageBand = (birthDate: string | null | undefined, date: string): AgeBand =>
  birthDate ? (ageOn(birthDate, date) >= 65 ? '65-' : '-64') : 'UNK';
