import { z } from 'zod';
import { Maker } from '../vaccines.js';
import { codeText, plainText, RecipientFields } from './fields.js';
import { CalendarDateSchema, DoseNumber, DoseSource, Sex } from './schemas.js';

/**
 * Commands: shapes only. Codes, dates and kana are checked by decide, so a wrong check digit is
 * a domain error (422) with a stable code rather than a shape error. `today` is the Tokyo calendar
 * day, supplied by the caller (the domain has no clock).
 */
const Today = CalendarDateSchema;
/** Every text a command carries (fields.ts): the HTTP guard refuses some such text too, but an import row reaches here directly. */
const text = plainText;
const Reason = plainText(500);
const code = codeText;

export const RegisterRecipient = z.object({
  type: z.literal('RegisterRecipient'),
  today: Today,
  municipality: text(16),
  coupon: text(32),
  addressNumber: RecipientFields.addressNumber,
  name: RecipientFields.name,
  nameKana: RecipientFields.nameKana,
  birthDate: text(32),
  sex: Sex,
  address: RecipientFields.address.optional(),
  myNumber: text(32).optional(),
  medicalWorker: z.boolean().default(false),
});

export const RecordVaccination = z.object({
  type: z.literal('RecordVaccination'),
  today: Today,
  /** Optional cross-check: when given they must name the loaded stream. */
  municipality: text(16).optional(),
  coupon: text(32).optional(),
  doseNumber: DoseNumber,
  date: text(32),
  vaccine: z.object({ maker: Maker, product: text(100).optional(), lot: text(40) }),
  siteCode: code(32),
  source: DoseSource.exclude(['transfer']).default('manual'),
  scanId: text(100).optional(),
});

export const CorrectVaccination = z.object({
  type: z.literal('CorrectVaccination'),
  today: Today,
  doseNumber: DoseNumber,
  changes: z.object({
    date: text(32).optional(),
    vaccine: z.object({ maker: Maker.optional(), lot: text(40).optional() }).optional(),
    siteCode: code(32).optional(),
  }),
  reason: Reason,
});

export const VoidVaccination = z.object({
  type: z.literal('VoidVaccination'),
  today: Today,
  doseNumber: DoseNumber,
  reason: Reason,
});

export const CorrectRecipientDetails = z.object({
  type: z.literal('CorrectRecipientDetails'),
  today: Today,
  changes: z.object({
    name: RecipientFields.name.optional(),
    nameKana: RecipientFields.nameKana.optional(),
    birthDate: text(32).optional(),
    sex: Sex.optional(),
    address: RecipientFields.address.optional(),
    medicalWorker: z.boolean().optional(),
  }),
  reason: Reason,
});

export const ErasePersonalData = z.object({
  type: z.literal('ErasePersonalData'),
  today: Today,
  reason: Reason,
});

/** As the leaflet asks (ご同意いただければ): at the counter, on paper, or online; `at` an ISO time with its offset. */
export const TransferConsent = z.object({
  method: z.enum(['in-person', 'written', 'online']),
  at: z.iso.datetime({ offset: true }),
});

/** A coupon (接種券) for the next dose, printed in a batch; a reprint is a second issue. */
export const IssueCoupon = z.object({
  type: z.literal('IssueCoupon'),
  today: Today,
  doseNumber: DoseNumber,
  batchId: code(64),
});

/** A document a person carries: a signed certificate (SMART Health Card, ICAO VDS-NC) or the 予防接種済証. */
export const CertificateKind = z.enum(['shc', 'vds', 'record']);
export type CertificateKind = z.infer<typeof CertificateKind>;

export const IssueCertificate = z.object({
  type: z.literal('IssueCertificate'),
  today: Today,
  kind: CertificateKind,
  /** The signing key (RFC 7638 thumbprint); none for the unsigned 済証. */
  keyId: code(100).nullable(),
  /** Seconds since the epoch the certificate states as its issuance (its `nbf`). */
  issuedAt: z.number().int().nonnegative(),
});

/** Evaluated against both streams by decideTransfer (the old one and the new, empty, one). */
export const TransferRecipient = z.object({
  type: z.literal('TransferRecipient'),
  today: Today,
  /** The moment the command is decided (ISO), so a consent time can be refused when it lies ahead. */
  now: z.iso.datetime({ offset: true }),
  from: z.object({ municipality: text(16), coupon: text(32) }),
  /** The person's My Number as the resident register gives it at 転入: proof that the person moving is this one. */
  myNumber: text(32),
  /** How and when the person agreed to the transfer (recorded in RecipientTransferredIn). */
  consent: TransferConsent,
  to: z.object({
    municipality: text(16),
    coupon: text(32),
    addressNumber: RecipientFields.addressNumber,
    address: RecipientFields.address.optional(),
  }),
});

export const RecipientCommand = z.discriminatedUnion('type', [
  RegisterRecipient,
  RecordVaccination,
  CorrectVaccination,
  VoidVaccination,
  CorrectRecipientDetails,
  ErasePersonalData,
  IssueCoupon,
  IssueCertificate,
]);

export type RegisterRecipient = z.infer<typeof RegisterRecipient>;
export type RecordVaccination = z.infer<typeof RecordVaccination>;
export type CorrectVaccination = z.infer<typeof CorrectVaccination>;
export type VoidVaccination = z.infer<typeof VoidVaccination>;
export type CorrectRecipientDetails = z.infer<typeof CorrectRecipientDetails>;
export type ErasePersonalData = z.infer<typeof ErasePersonalData>;
export type TransferRecipient = z.infer<typeof TransferRecipient>;
export type IssueCoupon = z.infer<typeof IssueCoupon>;
export type IssueCertificate = z.infer<typeof IssueCertificate>;
export type RecipientCommand = z.infer<typeof RecipientCommand>;
/** What callers may build by hand: defaults (source, medicalWorker) may be left out. */
export type RecipientCommandInput = z.input<typeof RecipientCommand>;
