/** Codes arrive typed by hand or read by OCR: full-width digits and stray spaces are tolerated. */
export const normalizeDigits = (s: string): string => s.normalize('NFKC').replace(/[\s-]/g, '');

export const isDigits = (s: string, length: number): boolean =>
  s.length === length && /^[0-9]+$/.test(s);
