import { canonicalAddressNumber } from '../fields.js';
import { parseCouponNumber } from '../../codes/couponNumber.js';
import { parseMunicipalityCode } from '../../codes/municipalityCode.js';
import { parseMyNumber } from '../../codes/myNumber.js';
import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { RegisterRecipient } from '../commands.js';
import type { RecipientEvent } from '../events.js';
import type { RecipientState } from '../state.js';
import { optionalText, parseBirthDate, parseKana, parseName } from './personalFields.js';

export const registerRecipient = (command: RegisterRecipient, state: RecipientState): Result<RecipientEvent[]> => {
  if (state.kind !== 'empty')
    return err(new DomainError('ALREADY_REGISTERED', 'recipient: this municipality and coupon are already registered'));
  const municipality = parseMunicipalityCode(command.municipality);
  if (!municipality.ok) return municipality;
  const coupon = parseCouponNumber(command.coupon);
  if (!coupon.ok) return coupon;
  const myNumberText = optionalText(command.myNumber);
  const myNumber = myNumberText === undefined ? ok(undefined) : parseMyNumber(myNumberText);
  if (!myNumber.ok) return myNumber;
  const name = parseName(command.name);
  if (!name.ok) return name;
  const nameKana = parseKana(command.nameKana);
  if (!nameKana.ok) return nameKana;
  const birthDate = parseBirthDate(command.birthDate, command.today);
  if (!birthDate.ok) return birthDate;
  const address = optionalText(command.address);

  return ok([
    {
      type: 'RecipientRegistered',
      data: {
        municipality: municipality.value,
        coupon: coupon.value,
        sex: command.sex,
        medicalWorker: command.medicalWorker ?? false,
        personal: {
          addressNumber: canonicalAddressNumber(command.addressNumber),
          name: name.value,
          nameKana: nameKana.value,
          birthDate: birthDate.value,
          ...(address !== undefined ? { address } : {}),
          ...(myNumber.value !== undefined ? { myNumber: myNumber.value } : {}),
        },
      },
    },
  ]);
};
