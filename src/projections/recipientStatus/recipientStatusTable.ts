import type { ProjectionTable } from '../projection.js';
import { statusColumnsDdl } from './statusColumns.js';

export const RECIPIENT_STATUS_TABLE = 'recipient_status';

/**
 * A dose rewrites its recipient's row without touching an indexed column: with room left on the page the new
 * version stays there (a HOT update) and none of the indexes is written.
 */
export const RECIPIENT_STATUS_FILLFACTOR = 80;

/**
 * One row per recipient stream, its columns those of statusColumns (personal fields sealed, searched by blind indexes).
 * `state` is the fold state without personal fields (all doses, voided ones included), so the next batch can keep
 * folding from the row. Pages are in coupon order within a municipality (the kana order is sealed). `doses` and
 * `state` are json, not jsonb: nothing queries inside them, and json is only checked on the way in and sent back
 * as stored, where jsonb is parsed into its binary form and printed again (a third of a rebuild's COPY cost).
 */
export const recipientStatusTable: ProjectionTable = {
  name: RECIPIENT_STATUS_TABLE,
  create: (t) => `CREATE TABLE IF NOT EXISTS ${t} (
    ${statusColumnsDdl}
  ) WITH (fillfactor = ${RECIPIENT_STATUS_FILLFACTOR})`,
  indexes: (t) => [
    `CREATE INDEX IF NOT EXISTS ${t}_coupon ON ${t} (municipality, coupon)`,
    // The index values are bound to the municipality, so they need no municipality column beside them.
    `CREATE INDEX IF NOT EXISTS ${t}_kana ON ${t} USING gin (kana_bix)`,
    `CREATE INDEX IF NOT EXISTS ${t}_birth ON ${t} (birth_bix, coupon)`,
    // A search by a rare status (transferred-out, erased) pages through these rows only, where the coupon index
    // would walk the municipality until it found a page (all of it when none match). Active rows, nearly all of
    // them, are not in it, so a dose writes it no more than before.
    `CREATE INDEX IF NOT EXISTS ${t}_not_active ON ${t} (municipality, coupon) WHERE status <> 'active'`,
  ],
};
