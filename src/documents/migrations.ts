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
];
