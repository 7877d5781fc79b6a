import type { Grant } from '../eventstore/postgres/grants.js';
import type { Migration } from '../eventstore/postgres/migrate.js';

/**
 * `document_certificates`: one row per signed certificate issued (the event is the record; this row lets the
 * revocation list be computed without scanning the ledger). No personal field: the stream names a coupon,
 * `rid` is a keyed hash of it.
 */
export const documentMigrations: Migration[] = [
  {
    id: 1,
    name: 'document_certificates',
    sql: `
      CREATE TABLE document_certificates (
        seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream    text NOT NULL,
        kind      text NOT NULL,
        kid       text,
        rid       text,
        issued_at timestamptz NOT NULL,
        position  bigint
      );
      CREATE INDEX document_certificates_kid ON document_certificates (kid, stream);
    `,
  },
  {
    id: 2,
    name: 'coupon_batches',
    // A batch and the recipients it chose (by stream: names and addresses are read from the ledger when printed).
    sql: `
      CREATE TABLE coupon_batches (
        batch_id     text PRIMARY KEY,
        municipality text NOT NULL,
        criteria     jsonb NOT NULL,
        status       text NOT NULL,
        scanned      int NOT NULL DEFAULT 0,
        issued       int NOT NULL DEFAULT 0,
        error        text,
        created_by   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz
      );
      CREATE INDEX coupon_batches_municipality ON coupon_batches (municipality, created_at);
      CREATE TABLE coupon_batch_items (
        batch_id      text NOT NULL REFERENCES coupon_batches (batch_id),
        seq           int NOT NULL,
        stream        text NOT NULL,
        dose          smallint NOT NULL,
        eligible_from text,
        line          text NOT NULL,
        PRIMARY KEY (batch_id, seq)
      );
    `,
  },
];

/** What the server's role may do on the documents tables (granted by the owner after migrating). */
export const documentGrants: Grant[] = [
  { table: 'document_certificates', privileges: ['SELECT', 'INSERT'] },
  { table: 'coupon_batches', privileges: ['SELECT', 'INSERT', 'UPDATE'] },
  { table: 'coupon_batch_items', privileges: ['SELECT', 'INSERT'] },
];
