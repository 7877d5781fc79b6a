import { createHmac } from 'node:crypto';

/** The keyed hash that stands for a My Number in look-ups, uniqueness and stream names. */
export const myNumberHmac = (key: Buffer, myNumber: string): string =>
  createHmac('sha256', key).update(`mynumber:${myNumber}`).digest('hex');
