import type { Grant } from '../eventstore/postgres/grants.js';

/** Console accounts (scope 'console'): named people, their sessions, and the sign-in audit trail. */
export const consoleMigrations = [
  {
    id: 1,
    name: 'console_users_sessions_sign_ins',
    sql: `
      CREATE TABLE console_users (
        username      text PRIMARY KEY,
        password_hash text NOT NULL,
        role          text NOT NULL,
        municipality  text,
        site          text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text NOT NULL,
        disabled_at   timestamptz,
        disabled_by   text
      );
      -- The cookie holds a random token; only its SHA-256 is stored, so a read of this table signs nobody in.
      CREATE TABLE console_sessions (
        token_hash   text PRIMARY KEY,
        username     text NOT NULL REFERENCES console_users (username),
        csrf_token   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL
      );
      CREATE INDEX console_sessions_username ON console_sessions (username);
      CREATE TABLE console_sign_ins (
        id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at       timestamptz NOT NULL DEFAULT now(),
        username text NOT NULL,
        outcome  text NOT NULL,
        address  text NOT NULL
      );
      CREATE INDEX console_sign_ins_username ON console_sign_ins (username, at);
      CREATE INDEX console_sign_ins_address ON console_sign_ins (address, at);
      CREATE FUNCTION vrs_sign_ins_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the sign-in log is append-only' USING ERRCODE = 'VRS14'; END $$;
      CREATE TRIGGER console_sign_ins_append_only BEFORE UPDATE OR DELETE ON console_sign_ins
        FOR EACH ROW EXECUTE FUNCTION vrs_sign_ins_append_only();`,
  },
];

/**
 * The server's role: adds users, disables them (UPDATE), keeps sessions (touch on use, delete at sign-out and
 * disable), appends sign-in records and reads them for auditors; never updates or deletes a sign-in record.
 */
export const consoleGrants: Grant[] = [
  { table: 'console_users', privileges: ['SELECT', 'INSERT', 'UPDATE'] },
  { table: 'console_sessions', privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  { table: 'console_sign_ins', privileges: ['SELECT', 'INSERT'] },
];
