import { z } from 'zod';
import { rowErrorSchema } from './rowError.js';

/** The answer of POST /v1/recipients/import and `vrs import`. */
export const rejectedLineSchema = z.object({
  line: z.number().int(),
  endLine: z.number().int().optional(),
  errors: z.array(rowErrorSchema),
});
export const importAnswerSchema = z.object({
  imported: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(rejectedLineSchema),
  /** Present only when `rejected` was cut at MAX_LISTED_REJECTIONS: how many lines were rejected in all. */
  rejectedTotal: z.number().int().optional(),
});

/**
 * A file whose every line is wrong (a shifted column, say) would otherwise hold millions of rejections in memory
 * and in one answer; the first ten thousand say what is wrong as well as all of them would.
 */
export const MAX_LISTED_REJECTIONS = 10_000;
export type RejectedLine = z.infer<typeof rejectedLineSchema>;
export type ImportAnswer = z.infer<typeof importAnswerSchema>;

/** What one batch added to the answer. */
export type BatchOutcome = { imported: number; duplicates: number; rejected: RejectedLine[]; lastLine: number };

export const emptyAnswer = (): ImportAnswer => ({ imported: 0, duplicates: 0, rejected: [] });

export const addOutcome = (answer: ImportAnswer, o: BatchOutcome): ImportAnswer => {
  answer.imported += o.imported;
  answer.duplicates += o.duplicates;
  for (const r of o.rejected) {
    if (answer.rejected.length < MAX_LISTED_REJECTIONS) answer.rejected.push(r);
    else answer.rejectedTotal = (answer.rejectedTotal ?? answer.rejected.length) + 1;
  }
  return answer;
};

export const rejectedCount = (answer: ImportAnswer): number => answer.rejectedTotal ?? answer.rejected.length;
