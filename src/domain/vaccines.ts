import { z } from 'zod';
import { addCalendarMonths, addDays } from './dates.js';

export const Maker = z.enum(['pfizer', 'moderna', 'astrazeneca', 'novavax']);
export type Maker = z.infer<typeof Maker>;

export type VaccineSpec = {
  maker: Maker;
  product: string;
  /** Youngest age (whole years on the vaccination day) this product may be given at. */
  minimumAge: number;
  /** Primary series (dose 1 → 2): minimum days from this product's dose to the next dose. */
  primaryIntervalDays: number;
  /** Booster (dose 3+): minimum calendar months from the previous dose when this product is the booster. */
  boosterIntervalMonths: number;
  lotPattern: RegExp;
};

/**
 * Defaults from the MHLW guidance. AstraZeneca's label allows 18+ (40+ "in principle"): the hard
 * minimum is what a record must respect, the rest is the doctor's call.
 */
export const vaccineTable: Readonly<Record<Maker, VaccineSpec>> = {
  pfizer: {
    maker: 'pfizer',
    product: 'コミナティ筋注',
    minimumAge: 12,
    primaryIntervalDays: 18,
    boosterIntervalMonths: 3,
    lotPattern: /^[A-Z]{2}[0-9]{4}$/,
  },
  moderna: {
    maker: 'moderna',
    product: 'スパイクバックス筋注',
    minimumAge: 12,
    primaryIntervalDays: 20,
    boosterIntervalMonths: 3,
    lotPattern: /^[0-9]{7}$/,
  },
  astrazeneca: {
    maker: 'astrazeneca',
    product: 'バキスゼブリア筋注',
    minimumAge: 18,
    primaryIntervalDays: 27,
    boosterIntervalMonths: 3,
    lotPattern: /^[A-Z0-9]{1,20}$/,
  },
  novavax: {
    maker: 'novavax',
    product: 'ヌバキソビッド筋注',
    minimumAge: 12,
    primaryIntervalDays: 20,
    boosterIntervalMonths: 6,
    lotPattern: /^[A-Z0-9]{1,20}$/,
  },
};

export const PRIMARY_SERIES_DOSES = 2;
export const MAX_DOSE_NUMBER = 7;

/** The youngest minimum age over all products: before it no dose may be given at all. */
export const youngestMinimumAge = Math.min(...Object.values(vaccineTable).map((v) => v.minimumAge));

/** Lots are typed or OCR-read: full-width letters, lower case and spaces are folded. */
export const normalizeLot = (s: string): string => s.normalize('NFKC').toUpperCase().replace(/\s/g, '');

export const lotMatchesMaker = (maker: Maker, lot: string): boolean => vaccineTable[maker].lotPattern.test(lot);

export type PreviousDose = { date: string; maker: Maker } | { date: string; vaccine: { maker: Maker } };

const makerOf = (d: PreviousDose): Maker => ('maker' in d ? d.maker : d.vaccine.maker);

/**
 * The first day `nextDoseNumber` may be given after `previousDose` (exactly that day is allowed).
 * Primary series: the previous product's interval in days. Booster: calendar months, chosen by the
 * booster's product (Novavax 6, others 3); unknown booster product → the shortest (3).
 */
export const nextEligibleDate = (previousDose: PreviousDose, nextDoseNumber: number, nextMaker?: Maker): string => {
  if (nextDoseNumber <= PRIMARY_SERIES_DOSES)
    return addDays(previousDose.date, vaccineTable[makerOf(previousDose)].primaryIntervalDays);
  const months = nextMaker
    ? vaccineTable[nextMaker].boosterIntervalMonths
    : Math.min(...Object.values(vaccineTable).map((v) => v.boosterIntervalMonths));
  return addCalendarMonths(previousDose.date, months);
};
