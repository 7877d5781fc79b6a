import { z } from 'zod';
import { CalendarDateSchema } from '../../domain/index.js';
import { allDimensions, type Dimension } from './dimensions.js';

const code = (digits: number, what: string) => z.string().regex(new RegExp(`^\\d{${digits}}$`), `${what} must be ${digits} digits`);

/** `GET /v1/statistics/daily` query: dates inclusive; groupBy is a comma list (default: every dimension). */
export const DailyQuery = z
  .object({
    from: CalendarDateSchema.optional(),
    to: CalendarDateSchema.optional(),
    prefecture: code(2, 'prefecture').optional(),
    municipality: code(6, 'municipality').optional(),
    groupBy: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s === '') return allDimensions;
        const parts = [...new Set(s.split(',').map((p) => p.trim()))];
        const bad = parts.filter((p) => !(allDimensions as string[]).includes(p));
        if (bad.length > 0) {
          ctx.addIssue({ code: 'custom', message: `unknown groupBy ${bad.join(', ')}; allowed: ${allDimensions.join(', ')}` });
          return z.NEVER;
        }
        return allDimensions.filter((d) => parts.includes(d));
      }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export type DailyQuery = { from?: string; to?: string; prefecture?: string; municipality?: string; groupBy: Dimension[] };
