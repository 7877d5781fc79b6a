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
  {
    id: 3,
    name: 'key epochs',
    // Epoch 0 is the master key that wrapped every data key so far; it never makes an erasure final, hence
    // '-infinity' (an erasure is final once an epoch created after it has completed: every key re-wrapped under
    // it, every older KEK destroyed). A data key may only be written under the newest epoch, so a process that
    // has not noticed a rotation cannot wrap a key under a KEK about to be destroyed: the trigger refuses it and
    // the process retries under the new epoch.
    sql: `
      CREATE TABLE key_epochs (
        epoch        int PRIMARY KEY,
        created_at   timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        destroyed_at timestamptz
      );
      INSERT INTO key_epochs (epoch, created_at, completed_at) VALUES (0, '-infinity', '-infinity');
      ALTER TABLE recipient_keys ADD COLUMN epoch int NOT NULL DEFAULT 0;
      CREATE INDEX recipient_keys_epoch ON recipient_keys (epoch);
      CREATE INDEX erased_streams_at ON erased_streams (erased_at);
      CREATE FUNCTION vrs_recipient_keys_current_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.epoch < (SELECT coalesce(max(epoch), 0) FROM key_epochs) THEN
          RAISE EXCEPTION 'data key wrapped under a replaced key epoch' USING ERRCODE = 'VRS12';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER recipient_keys_current_epoch BEFORE INSERT OR UPDATE ON recipient_keys
        FOR EACH ROW EXECUTE FUNCTION vrs_recipient_keys_current_epoch();`,
  },
];
