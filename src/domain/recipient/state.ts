import type { Maker } from '../vaccines.js';
import type { DoseFigures, DoseSource, Sex } from './schemas.js';

export type Person = {
  name: string;
  nameKana: string;
  birthDate: string;
  address?: string;
  /** Kept in memory only so a transfer can carry it to the new registration; never shown. */
  myNumber?: string;
};

export type Dose = {
  doseNumber: number;
  date: string;
  vaccine: { maker: Maker; product?: string; lot: string };
  siteCode: string;
  source: DoseSource;
  scanId?: string;
  /** The municipality and coupon the dose was given under (differs from the stream's when carried). */
  municipality: string;
  coupon: string;
  voided: boolean;
  voidReason?: string;
  corrected: boolean;
  carried: boolean;
  figures: DoseFigures;
};

export type RecipientStatus = 'active' | 'transferred-out' | 'erased';

export type RegisteredRecipient = {
  kind: 'registered';
  municipality: string;
  coupon: string;
  /** 宛名番号: personal (it identifies the resident in the municipality's register); null once erased. */
  addressNumber: string | null;
  sex: Sex;
  medicalWorker: boolean;
  person: Person | null;
  status: RecipientStatus;
  /** Every dose ever recorded or carried, voided ones included (flagged). */
  doses: Dose[];
  transferredTo?: { municipality: string; coupon: string; date: string };
  transferredFrom?: { municipality: string; coupon: string };
  /** The stream version, set by the caller that read the stream; evolve leaves it alone. */
  version?: number | bigint;
};

export type RecipientState = { kind: 'empty' } | RegisteredRecipient;

export const initialState = (): RecipientState => ({ kind: 'empty' });

export const validDoses = (state: RegisteredRecipient): Dose[] =>
  state.doses.filter((d) => !d.voided).sort((a, b) => a.doseNumber - b.doseNumber);
