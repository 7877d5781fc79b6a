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
});
export type RejectedLine = z.infer<typeof rejectedLineSchema>;
export type ImportAnswer = z.infer<typeof importAnswerSchema>;

/** What one batch added to the answer. */
export type BatchOutcome = { imported: number; duplicates: number; rejected: RejectedLine[]; lastLine: number };

export const emptyAnswer = (): ImportAnswer => ({ imported: 0, duplicates: 0, rejected: [] });

export const addOutcome = (answer: ImportAnswer, o: BatchOutcome): ImportAnswer => {
  answer.imported += o.imported;
  answer.duplicates += o.duplicates;
  for (const r of o.rejected) answer.rejected.push(r);
  return answer;
};
