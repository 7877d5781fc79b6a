import { z } from 'zod';
import { isCalendarDate } from '../dates.js';
import { Maker } from '../vaccines.js';

/** Building blocks shared by events, commands and state. */
export const CalendarDateSchema = z.string().refine(isCalendarDate, { message: 'must be a real date YYYY-MM-DD' });

export const Sex = z.enum(['M', 'F', 'U']);
export type Sex = z.infer<typeof Sex>;

export const AgeBandSchema = z.enum(['-64', '65-', 'UNK']);

export const DoseSource = z.enum(['scan', 'manual', 'import', 'transfer']);
export type DoseSource = z.infer<typeof DoseSource>;

export const DoseNumber = z.number().int().min(1).max(7);

export const Vaccine = z.object({ maker: Maker, product: z.string().optional(), lot: z.string().min(1) });
export type Vaccine = z.infer<typeof Vaccine>;

/** The non-identifying figures one dose contributes to the statistics, in clear. */
export const DoseFigures = z.object({
  date: CalendarDateSchema,
  municipality: z.string(),
  prefecture: z.string(),
  sex: Sex,
  ageBand: AgeBandSchema,
  doseNumber: DoseNumber,
  maker: Maker,
  medicalWorker: z.boolean(),
});
export type DoseFigures = z.infer<typeof DoseFigures>;

/** What an event changes in the counts: the statistics projection needs nothing else. */
export const StatsDelta = z.object({ remove: z.array(DoseFigures), add: z.array(DoseFigures) });
export type StatsDelta = z.infer<typeof StatsDelta>;

export const emptyDelta = (): StatsDelta => ({ remove: [], add: [] });
