import type { Migration } from '../eventstore/postgres/migrate.js';
import type { Grant } from '../eventstore/postgres/grants.js';

/**
 * Migration 1 made `scan_status` here, written by the scan request itself. It is now a read model of the scan
 * events (`scanStatusProjection.ts`): migration 2 drops a table migration 1 left (the projection makes its own and
 * fills it from the log) and keeps the resolve lease, which no event records, in a table of its own.
 * The runtime migrates this scope at start, so the old table is gone before the projections make theirs.
 */
export const scanMigrations: Migration[] = [
  {
    id: 1,
    name: 'scan_status',
    // Made the request-written table (seq identity, lease_until); a new database has no use for it, so nothing here.
    sql: 'SELECT 1',
  },
  {
    id: 2,
    name: 'scan_status becomes a projection; resolve leases move to scan_leases',
    sql: `
      DROP TABLE IF EXISTS scan_status;
      CREATE TABLE scan_leases (
        scan_id     text PRIMARY KEY,
        lease_until timestamptz NOT NULL
      );`,
  },
];

/** A lease is taken (INSERT, or UPDATE of a lapsed one) and given back (DELETE). `scan_status` grants with its projection. */
export const scanGrants: Grant[] = [{ table: 'scan_leases', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] }];
