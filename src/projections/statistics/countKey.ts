import type { DoseFigures } from '../../domain/index.js';

/** The dimensions one count is kept under (the statistics table's key), in table column order. */
export type CountKey = DoseFigures;

/** A change of one count: `change` is +n / -n doses under `key`. */
export type CountDelta = { key: CountKey; change: number };

/** A stable string for a key, so deltas under the same dimensions merge. */
export const keyString = (k: CountKey): string =>
  `${k.date}|${k.prefecture}|${k.municipality}|${k.sex}|${k.ageBand}|${k.doseNumber}|${k.maker}|${k.medicalWorker ? 1 : 0}`;
