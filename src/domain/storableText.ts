/** NUL, or half of a surrogate pair: no field means them, and PostgreSQL (json, text) cannot store them. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_MESSAGE = 'contains a NUL character or an unpaired UTF-16 surrogate';

export const isStorableText = (s: string): boolean => !UNSTORABLE.test(s);
