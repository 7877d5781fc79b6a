import { z } from 'zod';
import { CorrectRecipientDetails, CorrectVaccination, RecordVaccination, RegisterRecipient, TransferRecipient } from '../domain/index.js';

/** HTTP bodies are the domain's command schemas without what the server fills in (type, today, caller's codes). */
export const MunicipalityParam = z.string().regex(/^\d{6}$/, 'must be 6 digits');
export const CouponParam = z.string().regex(/^\d{10}$/, 'must be 10 digits');
export const RecipientParams = z.object({ m: MunicipalityParam, c: CouponParam });
export const DoseParams = RecipientParams.extend({ dose: z.coerce.number().int().min(1).max(7) });
export const CommandId = z.string().min(1).max(100).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const RegisterBody = RegisterRecipient.omit({ type: true, today: true }).extend({ commandId: CommandId.optional() }).strict();
export const RecordDoseBody = RecordVaccination.omit({ type: true, today: true, source: true, scanId: true })
  .extend({ municipality: MunicipalityParam, coupon: CouponParam, commandId: CommandId.optional() })
  .strict();
export const CorrectDoseBody = CorrectVaccination.pick({ changes: true, reason: true }).extend({ commandId: CommandId.optional() }).strict();
export const VoidDoseBody = z.object({ reason: z.string().max(500), commandId: CommandId.optional() }).strict();
export const CorrectDetailsBody = CorrectRecipientDetails.pick({ changes: true, reason: true }).extend({ commandId: CommandId.optional() }).strict();
export const EraseBody = z.object({ reason: z.string().max(500), commandId: CommandId.optional() }).strict();
export const TransferBody = z
  .object({
    from: TransferRecipient.shape.from.strict(),
    myNumber: TransferRecipient.shape.myNumber,
    consent: TransferRecipient.shape.consent.strict(),
    to: TransferRecipient.shape.to.omit({ municipality: true }).strict(),
    commandId: CommandId.optional(),
  })
  .strict();
export const LookupBody = z.object({ myNumber: z.string().max(32) }).strict();
export const HistoryQuery = z.object({ asOf: z.iso.datetime({ offset: true }).optional() });

export const WriteResponse = z.object({ stream: z.string(), version: z.number(), position: z.number().nullable() });
