/** Data keys live outside the event log so that erasure can delete them (crypto-shredding). */
export const personalMigrations = [
  {
    id: 1,
    name: 'recipient_keys',
    sql: `
      CREATE TABLE recipient_keys (
        stream      text PRIMARY KEY,
        wrapped_key text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE erased_streams (
        stream     text PRIMARY KEY,
        erased_at  timestamptz NOT NULL DEFAULT now()
      );`,
  },
  {
    id: 2,
    name: 'access_log',
    sql: `
      CREATE TABLE access_log (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at        timestamptz NOT NULL DEFAULT now(),
        actor     jsonb NOT NULL,
        actor_sub text NOT NULL,
        record    text NOT NULL,
        endpoint  text NOT NULL
      );
      CREATE INDEX access_log_record ON access_log (record, at);
      CREATE INDEX access_log_actor ON access_log (actor_sub, at);
      CREATE INDEX access_log_at ON access_log (at);
      CREATE FUNCTION vrs_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the access log is append-only' USING ERRCODE = 'VRS11'; END $$;
      CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
        FOR EACH ROW EXECUTE FUNCTION vrs_access_log_append_only();`,
  },
];
