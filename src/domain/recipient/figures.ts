import { ageBand } from '../ageBand.js';
import { prefectureOf } from '../codes/municipalityCode.js';
import type { Maker } from '../vaccines.js';
import type { DoseFigures, Sex } from './schemas.js';

export type FigureFacts = {
  date: string;
  doseNumber: number;
  maker: Maker;
  municipality: string;
  sex: Sex;
  birthDate: string | null;
  medicalWorker: boolean;
};

export const figuresOf = (f: FigureFacts): DoseFigures => ({
  date: f.date,
  municipality: f.municipality,
  prefecture: prefectureOf(f.municipality),
  sex: f.sex,
  ageBand: ageBand(f.birthDate, f.date),
  doseNumber: f.doseNumber,
  maker: f.maker,
  medicalWorker: f.medicalWorker,
});

export const sameFigures = (a: DoseFigures, b: DoseFigures): boolean =>
  a.date === b.date &&
  a.municipality === b.municipality &&
  a.prefecture === b.prefecture &&
  a.sex === b.sex &&
  a.ageBand === b.ageBand &&
  a.doseNumber === b.doseNumber &&
  a.maker === b.maker &&
  a.medicalWorker === b.medicalWorker;
