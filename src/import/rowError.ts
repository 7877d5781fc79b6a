import { z } from 'zod';

/** One reason a line was rejected. `message` names the field and the reason, never the value. */
export const rowErrorSchema = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
  /** INVALID_ENCODING in a UTF-8 file: the byte offset (from 0) of the line's first invalid byte. */
  offset: z.number().int().nonnegative().optional(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

/** `field` for problems with the line as a whole (field count, quoting). */
export const wholeLine = 'line';

export const rowError = (field: string, code: string, message: string): RowError => ({ field, code, message });
