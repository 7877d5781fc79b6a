/**
 * Appends become one plain INSERT into `events`: the stream head is the stream's last event (its version and hash
 * under the unique (stream, version) index), and a command's first event carries its id under a unique index, so
 * the `streams` and `stream_commands` tables and the `vrs_append` function go. One table write per event instead
 * of three was the largest cost of an append (bench/RESULTS.md, append). A moved head or a retried command now
 * surfaces as a unique violation (23505) naming its index.
 *
 * `stream` is collated "C" so that a prefix (`recipient-131016-%`) is a range of the (stream, version) index
 * whatever the database's default collation: the export lists a municipality's streams from it.
 */
export const sql = `
ALTER TABLE events ADD COLUMN command_id text;

-- The one sanctioned change to history: copying each command id onto its first event.
ALTER TABLE events DISABLE TRIGGER events_append_only;
UPDATE events e SET command_id = c.command_id
  FROM stream_commands c WHERE e.stream = c.stream AND e.version = c.first_version;
ALTER TABLE events ENABLE TRIGGER events_append_only;

ALTER TABLE events ALTER COLUMN stream TYPE text COLLATE "C";
CREATE UNIQUE INDEX events_stream_command ON events (stream, command_id) WHERE command_id IS NOT NULL;

DROP FUNCTION vrs_append(text[], bigint[], bigint[], bytea[], text[], text[], bigint[], text[], jsonb[], jsonb[],
  timestamptz[], bytea[]);
DROP TABLE stream_commands;
DROP TABLE streams;
`;
