import type { Grant } from '../eventstore/postgres/grants.js';

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
  {
    id: 10,
    name: 'access_log refuses TRUNCATE; data keys are deleted only after an erasure event',
    sql: `
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
        FOR EACH STATEMENT EXECUTE FUNCTION vrs_access_log_append_only();
      -- The server's role may not DELETE from recipient_keys: erasure deletes a key through this function, which
      -- refuses unless the stream's PersonalDataErased event is in the log. A stream with no events here (the
      -- events live in KurrentDB) needs its erased_streams row first; vrs verify names any key gone without an
      -- erasure event, on either store.
      CREATE FUNCTION vrs_erase_data_key(p_stream text) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        deleted int;
      BEGIN
        IF EXISTS (SELECT 1 FROM events WHERE stream = p_stream) THEN
          IF NOT EXISTS (SELECT 1 FROM events WHERE stream = p_stream AND type = 'PersonalDataErased') THEN
            RAISE EXCEPTION 'no PersonalDataErased event in this stream: its data key is kept' USING ERRCODE = 'VRS13';
          END IF;
          INSERT INTO erased_streams (stream) VALUES (p_stream) ON CONFLICT DO NOTHING;
        ELSIF NOT EXISTS (SELECT 1 FROM erased_streams WHERE stream = p_stream) THEN
          RAISE EXCEPTION 'stream not marked erased: its data key is kept' USING ERRCODE = 'VRS13';
        END IF;
        DELETE FROM recipient_keys WHERE stream = p_stream;
        GET DIAGNOSTICS deleted = ROW_COUNT;
        RETURN deleted > 0;
      END $$;
      REVOKE ALL ON FUNCTION vrs_erase_data_key(text) FROM PUBLIC;`,
  },
];

/**
 * The server's role on this scope: keys are created and read, and deleted only through vrs_erase_data_key (no
 * DELETE); the access log is appended and read. Add a line here for each new table of the scope.
 */
export const personalGrants: Grant[] = [
  { table: 'recipient_keys', privileges: ['SELECT', 'INSERT'] },
  { table: 'erased_streams', privileges: ['SELECT', 'INSERT'] },
  // Read by the key ring and by the current-epoch trigger (which runs as the caller); written by rotation as the owner.
  { table: 'key_epochs', privileges: ['SELECT'] },
  { table: 'access_log', privileges: ['SELECT', 'INSERT'] },
  { function: 'vrs_erase_data_key(text)' },
];
