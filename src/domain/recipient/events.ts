import { z } from 'zod';
import { Maker } from '../vaccines.js';
import { CalendarDateSchema, DoseFigures, DoseNumber, DoseSource, Sex, StatsDelta, Vaccine } from './schemas.js';

/**
 * Everything under `personal` is encrypted by the persistence layer; nothing personal lives
 * elsewhere. When the key is gone (erasure) the persistence layer hands `personal: null` to evolve.
 */
export const PersonalData = z.object({
  name: z.string(),
  nameKana: z.string(),
  birthDate: CalendarDateSchema,
  address: z.string().optional(),
  myNumber: z.string().optional(),
  /** 宛名番号: sealed with the rest since events written after erasure became final (older events have it in clear). */
  addressNumber: z.string().optional(),
});
export type PersonalData = z.infer<typeof PersonalData>;

export const RecipientRegistered = z.object({
  type: z.literal('RecipientRegistered'),
  data: z.object({
    municipality: z.string(),
    coupon: z.string(),
    /** Only in events written before the address number moved under `personal`. */
    addressNumber: z.string().optional(),
    sex: Sex,
    medicalWorker: z.boolean(),
    personal: PersonalData.nullable(),
  }),
});

export const PersonalDataChanges = z.object({
  name: z.string().optional(),
  nameKana: z.string().optional(),
  birthDate: CalendarDateSchema.optional(),
  address: z.string().optional(),
});

export const RecipientDetailsCorrected = z.object({
  type: z.literal('RecipientDetailsCorrected'),
  data: z.object({
    changes: z.object({ sex: Sex.optional(), medicalWorker: z.boolean().optional() }),
    personal: PersonalDataChanges.nullable().optional(),
    reason: z.string(),
    statsDelta: StatsDelta,
  }),
});

export const VaccinationRecorded = z.object({
  type: z.literal('VaccinationRecorded'),
  data: z.object({
    doseNumber: DoseNumber,
    date: CalendarDateSchema,
    vaccine: Vaccine,
    siteCode: z.string(),
    source: DoseSource,
    scanId: z.string().optional(),
    municipality: z.string(),
    coupon: z.string(),
    sex: Sex,
    ageBand: z.enum(['-64', '65-', 'UNK']),
    medicalWorker: z.boolean(),
    statsDelta: StatsDelta,
  }),
});

export const VaccinationCorrected = z.object({
  type: z.literal('VaccinationCorrected'),
  data: z.object({
    doseNumber: DoseNumber,
    changes: z.object({
      date: CalendarDateSchema.optional(),
      vaccine: z.object({ maker: Maker.optional(), lot: z.string().optional() }).optional(),
      siteCode: z.string().optional(),
    }),
    reason: z.string(),
    statsDelta: StatsDelta,
  }),
});

export const VaccinationVoided = z.object({
  type: z.literal('VaccinationVoided'),
  data: z.object({ doseNumber: DoseNumber, reason: z.string(), statsDelta: StatsDelta }),
});

export const RecipientTransferredOut = z.object({
  type: z.literal('RecipientTransferredOut'),
  data: z.object({ toMunicipality: z.string(), toCoupon: z.string(), date: CalendarDateSchema }),
});

/** A dose carried to the new registration: it keeps the municipality and coupon it was given under. */
export const CarriedDose = z.object({
  doseNumber: DoseNumber,
  date: CalendarDateSchema,
  vaccine: Vaccine,
  siteCode: z.string(),
  municipality: z.string(),
  coupon: z.string(),
  source: DoseSource,
  scanId: z.string().optional(),
  corrected: z.boolean(),
  figures: DoseFigures,
});
export type CarriedDose = z.infer<typeof CarriedDose>;

export const RecipientTransferredIn = z.object({
  type: z.literal('RecipientTransferredIn'),
  data: z.object({
    fromMunicipality: z.string(),
    fromCoupon: z.string(),
    doses: z.array(CarriedDose),
    /** The person's consent to the move; absent on transfers written before it was asked for. */
    consent: z.object({ method: z.enum(['in-person', 'written', 'online']), at: z.string() }).optional(),
  }),
});

export const PersonalDataErased = z.object({
  type: z.literal('PersonalDataErased'),
  data: z.object({ reason: z.string() }),
});

/** A coupon printed for the next dose (who and when are the event's metadata). */
export const CouponIssued = z.object({
  type: z.literal('CouponIssued'),
  data: z.object({ doseNumber: DoseNumber, batchId: z.string(), line: z.string().regex(/^\d{18}$/) }),
});

/** A certificate handed out: which kind, signed with which key, covering which valid doses. */
export const CertificateIssued = z.object({
  type: z.literal('CertificateIssued'),
  data: z.object({
    kind: z.enum(['shc', 'vds', 'record']),
    keyId: z.string().nullable(),
    doseNumbers: z.array(DoseNumber),
    issuedAt: z.number().int().nonnegative(),
  }),
});

export const RecipientEvent = z.discriminatedUnion('type', [
  RecipientRegistered,
  RecipientDetailsCorrected,
  VaccinationRecorded,
  VaccinationCorrected,
  VaccinationVoided,
  RecipientTransferredOut,
  RecipientTransferredIn,
  PersonalDataErased,
  CouponIssued,
  CertificateIssued,
]);
export type RecipientEvent = z.infer<typeof RecipientEvent>;
export type RecipientEventType = RecipientEvent['type'];
export type RecipientEventOf<T extends RecipientEventType> = Extract<RecipientEvent, { type: T }>;

export const recipientEventTypes = RecipientEvent.options.map((o) => o.shape.type.value);

/** Events whose data carries a statsDelta (the statistics projection reads only these). */
export const countingEventTypes = ['VaccinationRecorded', 'VaccinationCorrected', 'VaccinationVoided', 'RecipientDetailsCorrected'] as const;
