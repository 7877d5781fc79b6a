import { DomainError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { municipalityCheckDigit } from './municipalityCode.js';

export type CouponLine = {
  ticketType: string;
  dose: number;
  municipality: string;
  coupon: string;
  line: string;
};

export type CouponLinePart = 'length' | 'characters' | 'ticketType' | 'dose' | 'municipality' | 'coupon';

const invalid = (part: CouponLinePart, reason: string) =>
  err(new DomainError('INVALID_COUPON_LINE', `coupon line ${part}: ${reason}`, { field: 'line', part, reason }));

/** The OCR/QR line: 券種(1) 回数(1) 市町村コード(6, check digit) 券番号(10) = 18 digits. */
export const parseCouponLine = (text: string): Result<CouponLine> => {
  const line = text.normalize('NFKC').replace(/\s/g, '');
  if (/[^0-9]/.test(line)) return invalid('characters', 'only digits are allowed');
  if (line.length !== 18) return invalid('length', `must be 18 digits, got ${line.length}`);
  const ticketType = line.slice(0, 1);
  const dose = Number(line.slice(1, 2));
  const municipality = line.slice(2, 8);
  const coupon = line.slice(8, 18);
  if (dose < 1 || dose > 7) return invalid('dose', 'dose number must be 1–7');
  const prefecture = Number(municipality.slice(0, 2));
  if (prefecture < 1 || prefecture > 47) return invalid('municipality', 'prefecture part must be 01–47');
  if (municipalityCheckDigit(municipality.slice(0, 5)) !== Number(municipality[5]))
    return invalid('municipality', 'municipality check digit does not match');
  return ok({ ticketType, dose, municipality, coupon, line });
};
