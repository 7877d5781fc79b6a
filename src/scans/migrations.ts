import type { Migration } from '../eventstore/postgres/migrate.js';
import type { Grant } from '../eventstore/postgres/grants.js';

/**
 * Migration 1 made `scan_status` here, written by the scan request itself. It is now a read model of the scan
 * events (`scanStatusProjection.ts`): migration 2 drops the old table (the projection makes its own and fills it
 * from the log) and keeps the resolve lease, which no event records, in a table of its own.
 * The runtime migrates this scope at start, so the old table is gone before the projections make theirs.
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
  {
    id: 2,
    name: 'scan_status becomes a projection; resolve leases move to scan_leases',
    sql: `
      DROP TABLE scan_status;
      CREATE TABLE scan_leases (
        scan_id     text PRIMARY KEY,
        lease_until timestamptz NOT NULL
      );`,
  },
];

/** A lease is taken (INSERT, or UPDATE of a lapsed one) and given back (DELETE). `scan_status` grants with its projection. */
export const scanGrants: Grant[] = [{ table: 'scan_leases', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] }];
