import { canonicalAddressNumber } from '../fields.js';
import { parseCouponNumber } from '../../codes/couponNumber.js';
import { parseMunicipalityCode } from '../../codes/municipalityCode.js';
import { parseMyNumber } from '../../codes/myNumber.js';
import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { TransferRecipient } from '../commands.js';
import type { CarriedDose, RecipientEvent } from '../events.js';
import { validDoses, type RecipientState } from '../state.js';
import { requireActive } from './common.js';
import { optionalText } from './personalFields.js';

export type TransferEvents = { from: RecipientEvent[]; to: RecipientEvent[] };

/**
 * The one answer for every `from` that the caller has not proved: unknown coupon, erased person, a registration
 * without My Number, a My Number that is not this person's. Same code, message and shape in every case, so a
 * municipality guessing coupon numbers learns nothing about which exist.
 */
export const transferSourceNotFound = () =>
  new DomainError('RECIPIENT_NOT_FOUND', 'from: no registration with this municipality, coupon and My Number', { field: 'from' });

/** The consent time: an ISO time with its offset, not after the command's `now`. */
const checkConsent = (command: TransferRecipient): Result<TransferRecipient['consent']> => {
  const at = Date.parse(command.consent.at);
  if (Number.isNaN(at)) return err(new DomainError('INVALID_CONSENT', 'consent.at: must be an ISO time with its offset', { field: 'consent.at' }));
  if (at > Date.parse(command.now))
    return err(new DomainError('INVALID_CONSENT', 'consent.at: must not be in the future', { field: 'consent.at' }));
  return ok({ method: command.consent.method, at: new Date(at).toISOString() });
};

/**
 * One decision over both streams, appended together: the old registration is closed and the new
 * one opened with the valid doses carried, so the count and the interval rule continue there.
 * Carried doses keep their municipality/coupon and figures; no count moves (no statsDelta).
 */
export const decideTransfer = (
  command: TransferRecipient,
  fromState: RecipientState,
  toState: RecipientState,
): Result<TransferEvents> => {
  const fromMunicipality = parseMunicipalityCode(command.from.municipality, 'from.municipality');
  if (!fromMunicipality.ok) return fromMunicipality;
  const fromCoupon = parseCouponNumber(command.from.coupon, 'from.coupon');
  if (!fromCoupon.ok) return fromCoupon;
  const toMunicipality = parseMunicipalityCode(command.to.municipality, 'to.municipality');
  if (!toMunicipality.ok) return toMunicipality;
  const toCoupon = parseCouponNumber(command.to.coupon, 'to.coupon');
  if (!toCoupon.ok) return toCoupon;
  const myNumber = parseMyNumber(command.myNumber, 'myNumber');
  if (!myNumber.ok) return myNumber;
  const consent = checkConsent(command);
  if (!consent.ok) return consent;
  if (toMunicipality.value === fromMunicipality.value)
    return err(
      new DomainError('TRANSFER_SAME_MUNICIPALITY', 'to.municipality: a transfer must go to another municipality', {
        field: 'to.municipality',
      }),
    );

  // Proof first: nothing about the registration (its status included) is told before the My Number matches.
  if (
    fromState.kind !== 'registered' ||
    fromState.municipality !== fromMunicipality.value ||
    fromState.coupon !== fromCoupon.value ||
    fromState.person === null ||
    fromState.person.myNumber === undefined ||
    fromState.person.myNumber !== myNumber.value
  )
    return err(transferSourceNotFound());
  const source = requireActive(fromState);
  if (!source.ok) return source;
  const s = source.value;
  if (s.person === null) return err(transferSourceNotFound());
  if (toState.kind !== 'empty')
    return err(new DomainError('ALREADY_REGISTERED', 'to: this municipality and coupon are already registered', { field: 'to.coupon' }));

  const address = optionalText(command.to.address) ?? s.person.address;
  const doses: CarriedDose[] = validDoses(s).map((d) => ({
    doseNumber: d.doseNumber,
    date: d.date,
    vaccine: { ...d.vaccine },
    siteCode: d.siteCode,
    municipality: d.municipality,
    coupon: d.coupon,
    source: d.source,
    ...(d.scanId !== undefined ? { scanId: d.scanId } : {}),
    corrected: d.corrected,
    figures: d.figures,
  }));
  return ok({
    from: [
      {
        type: 'RecipientTransferredOut',
        data: { toMunicipality: toMunicipality.value, toCoupon: toCoupon.value, date: command.today },
      },
    ],
    to: [
      {
        type: 'RecipientRegistered',
        data: {
          municipality: toMunicipality.value,
          coupon: toCoupon.value,
          sex: s.sex,
          medicalWorker: s.medicalWorker,
          personal: {
            addressNumber: canonicalAddressNumber(command.to.addressNumber),
            name: s.person.name,
            nameKana: s.person.nameKana,
            birthDate: s.person.birthDate,
            ...(address !== undefined ? { address } : {}),
            ...(s.person.myNumber !== undefined ? { myNumber: s.person.myNumber } : {}),
          },
        },
      },
      {
        type: 'RecipientTransferredIn',
        data: { fromMunicipality: s.municipality, fromCoupon: s.coupon, doses, consent: consent.value },
      },
    ],
  });
};
