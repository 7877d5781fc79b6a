import { municipalityCheckDigit, myNumberCheckDigit } from '../../src/domain/index.js';

/** Valid codes made by computing their check digits (fixtures by code, not by hand). */
export const municipalityCode = (first5: string) => `${first5}${municipalityCheckDigit(first5)}`;
export const myNumberFor = (n: number) => {
  const first11 = String(n).padStart(11, '0');
  return `${first11}${myNumberCheckDigit(first11)}`;
};
export const coupon = (n: number) => String(n).padStart(10, '0');

export const CHIYODA = '131016';
export const SAPPORO = '011002';
export const YOKOHAMA = '141003';

export const person = (n: number, municipality = CHIYODA) => ({
  municipality,
  coupon: coupon(n),
  addressNumber: `A${n}`,
  name: `接種 太郎${n}`,
  nameKana: 'セッシュ タロウ',
  birthDate: '1960-04-01',
  sex: 'M' as const,
  address: '東京都千代田区千代田1-1',
  myNumber: myNumberFor(10_000_000 + n),
});
