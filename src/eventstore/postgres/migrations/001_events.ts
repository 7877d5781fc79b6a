/** The append-only event log, the stream heads, and the command ledger that makes appends idempotent. */
export const sql = `
CREATE TABLE events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream          text NOT NULL,
  version         bigint NOT NULL,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL,
  hash            bytea NOT NULL,
  UNIQUE (stream, version)
);
-- Subscriptions read in (transaction_id, position) order below the oldest running transaction.
CREATE INDEX events_tx_position ON events (transaction_id, position);

CREATE TABLE streams (
  stream   text PRIMARY KEY,
  version  bigint NOT NULL,
  hash     bytea NOT NULL
);

-- A command's events are versions first_version..version of its stream: a retry reads their positions back.
CREATE TABLE stream_commands (
  stream         text NOT NULL,
  command_id     text NOT NULL,
  first_version  bigint NOT NULL,
  version        bigint NOT NULL,
  PRIMARY KEY (stream, command_id)
);

CREATE FUNCTION vrs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'VRS10';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION vrs_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION vrs_refuse_change();

-- One round trip for any number of streams: the caller read the heads, computed versions and hashes,
-- and this checks that no head moved meanwhile (optimistic concurrency), then writes everything.
-- Raises VRS01 on a moved head, VRS02 when a command id was taken concurrently.
-- Returns the earlier results of command ids already written (then writes nothing).
CREATE FUNCTION vrs_append(
  p_streams text[], p_read_versions bigint[], p_new_versions bigint[], p_new_hashes bytea[], p_command_ids text[],
  p_event_streams text[], p_event_versions bigint[], p_types text[], p_data jsonb[], p_metadata jsonb[],
  p_recorded_at timestamptz[], p_hashes bytea[]
) RETURNS TABLE (stream text, version bigint, positions bigint[], duplicate boolean)
LANGUAGE plpgsql AS $$
DECLARE
  n int;
  expected int;
BEGIN
  RETURN QUERY
    SELECT c.stream, c.version,
      ARRAY(SELECT e.position FROM events e WHERE e.stream = c.stream AND e.version BETWEEN c.first_version AND c.version ORDER BY e.version),
      true
    FROM stream_commands c
    JOIN unnest(p_streams, p_command_ids) AS w(stream, command_id)
      ON c.stream = w.stream AND c.command_id = w.command_id;
  IF FOUND THEN RETURN; END IF;

  SELECT count(*) INTO expected FROM unnest(p_command_ids) AS c(id) WHERE c.id IS NOT NULL;
  IF expected > 0 THEN
    INSERT INTO stream_commands (stream, command_id, first_version, version)
      SELECT w.stream, w.command_id, w.read_version + 1, w.version
      FROM unnest(p_streams, p_command_ids, p_read_versions, p_new_versions) AS w(stream, command_id, read_version, version)
      WHERE w.command_id IS NOT NULL
      ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> expected THEN RAISE EXCEPTION 'command id taken concurrently' USING ERRCODE = 'VRS02'; END IF;
  END IF;

  SELECT count(*) INTO expected FROM unnest(p_read_versions) AS r(v) WHERE r.v = 0;
  IF expected > 0 THEN
    INSERT INTO streams (stream, version, hash)
      SELECT w.stream, w.version, w.hash
      FROM unnest(p_streams, p_read_versions, p_new_versions, p_new_hashes) AS w(stream, read_version, version, hash)
      WHERE w.read_version = 0
      ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> expected THEN RAISE EXCEPTION 'stream created concurrently' USING ERRCODE = 'VRS01'; END IF;
  END IF;

  SELECT count(*) INTO expected FROM unnest(p_read_versions) AS r(v) WHERE r.v > 0;
  IF expected > 0 THEN
    UPDATE streams s SET version = w.version, hash = w.hash
      FROM unnest(p_streams, p_read_versions, p_new_versions, p_new_hashes) AS w(stream, read_version, version, hash)
      WHERE w.read_version > 0 AND s.stream = w.stream AND s.version = w.read_version;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> expected THEN RAISE EXCEPTION 'stream moved concurrently' USING ERRCODE = 'VRS01'; END IF;
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events (stream, version, type, data, metadata, recorded_at, hash)
      SELECT * FROM unnest(p_event_streams, p_event_versions, p_types, p_data, p_metadata, p_recorded_at, p_hashes)
    RETURNING events.stream, events.version, events.position
  )
  SELECT i.stream, max(i.version), array_agg(i.position ORDER BY i.version), false
  FROM inserted i GROUP BY i.stream;
  -- No NOTIFY here: a notifying transaction holds a cluster-wide lock while its commit is flushed, which
  -- serialised concurrent appends. The store sends one coalesced NOTIFY after its appends commit.
END $$;
`;
