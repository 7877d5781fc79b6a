import type { Migration } from '../eventstore/postgres/migrate.js';
import type { Grant } from '../eventstore/postgres/grants.js';

/**
 * `scan_status`: one row per scan, kept in the request that appends the scan's events (no projection runner
 * exists yet); `lease_until` keeps two people from resolving one scan at once. It is rewritten from the folded stream on every touch, so a retry heals a row a crash left stale.
 */
export const scanMigrations: Migration[] = [
  {
    id: 1,
    name: 'scan_status',
    sql: `
      CREATE TABLE scan_status (
        scan_id      text PRIMARY KEY,
        seq          bigint GENERATED ALWAYS AS IDENTITY,
        site         text NOT NULL,
        status       text NOT NULL,
        reasons      jsonb NOT NULL DEFAULT '[]',
        rule_code    text,
        method       text NOT NULL,
        line         text,
        municipality text,
        coupon       text,
        dose         smallint,
        date         text NOT NULL,
        maker        text NOT NULL,
        lot          text,
        image_sha256 text NOT NULL,
        version      bigint NOT NULL,
        lease_until  timestamptz,
        scanned_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX scan_status_site_status ON scan_status (site, status, seq);`,
  },
];

/** Rows are inserted and rewritten from the folded stream, never deleted. */
export const scanGrants: Grant[] = [{ table: 'scan_status', privileges: ['SELECT', 'INSERT', 'UPDATE'] }];
