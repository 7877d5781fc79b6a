import type { ProjectionTable } from '../projection.js';

export const RECIPIENT_STATUS_TABLE = 'recipient_status';

/**
 * A dose rewrites its recipient's row without touching an indexed column: with room left on the page the new
 * version stays there (a HOT update) and none of the three indexes is written.
 */
export const RECIPIENT_STATUS_FILLFACTOR = 80;

/**
 * One row per recipient stream. `state` is the fold state without personal fields (all doses, voided ones
 * included), so the next batch can keep folding from the row. `kana_normalized` is in the "C" collation so
 * one btree serves the prefix match (LIKE 'x%') and the keyset order; it is '' once erased. `doses` and `state`
 * are json, not jsonb: nothing queries inside them, and json is only checked on the way in and sent back as
 * stored, where jsonb is parsed into its binary form and printed again (a third of a rebuild's COPY cost).
 * A table made before (jsonb) works the same until its next rebuild.
 */
export const recipientStatusTable: ProjectionTable = {
  name: RECIPIENT_STATUS_TABLE,
  create: (t) => `CREATE TABLE IF NOT EXISTS ${t} (
    stream text PRIMARY KEY,
    municipality text NOT NULL,
    coupon text NOT NULL,
    address_number text NOT NULL,
    name text,
    name_kana text,
    kana_normalized text COLLATE "C" NOT NULL,
    birth_date date,
    sex text NOT NULL,
    status text NOT NULL,
    doses json NOT NULL,
    dose_count int NOT NULL,
    last_dose_date date,
    next_eligible_date date,
    state json NOT NULL,
    version bigint NOT NULL,
    position bigint NOT NULL
  ) WITH (fillfactor = ${RECIPIENT_STATUS_FILLFACTOR})`,
  indexes: (t) => [
    `CREATE INDEX IF NOT EXISTS ${t}_kana ON ${t} (municipality, kana_normalized, coupon)`,
    `CREATE INDEX IF NOT EXISTS ${t}_birth ON ${t} (municipality, birth_date, kana_normalized, coupon)`,
  ],
};
