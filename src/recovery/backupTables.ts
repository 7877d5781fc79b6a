/**
 * What a backup holds: the records that cannot be recomputed. Read models (recipient_status, statistics) are
 * rebuilt from the events on restore, never copied. Column lists are fixed here, never read from a backup, so a
 * doctored manifest cannot steer the SQL. `transaction_id` is left out of `events`: it belongs to the old
 * cluster's transaction counter, and a restored row carrying a future id would stay invisible to subscriptions
 * (they read below the oldest running transaction); restored rows take the loading transaction's id instead.
 */
export type BackupTable = {
  name: string;
  file: string;
  columns: string[];
  orderBy: string;
  /** Identity column whose sequence is moved past the restored rows. */
  identity?: string;
  /** Only present when the capability that owns it has run (scans). */
  optional?: boolean;
};

export const BACKUP_TABLES: BackupTable[] = [
  {
    name: 'events',
    file: 'events.copy',
    columns: ['position', 'stream', 'version', 'type', 'data', 'metadata', 'recorded_at', 'hash', 'command_id'],
    orderBy: 'position',
    identity: 'position',
  },
  { name: 'recipient_keys', file: 'recipient_keys.copy', columns: ['stream', 'wrapped_key', 'created_at'], orderBy: 'stream' },
  { name: 'erased_streams', file: 'erased_streams.copy', columns: ['stream', 'erased_at'], orderBy: 'stream' },
  { name: 'access_log', file: 'access_log.copy', columns: ['id', 'at', 'actor', 'actor_sub', 'record', 'endpoint'], orderBy: 'id', identity: 'id' },
  {
    name: 'scan_status',
    file: 'scan_status.copy',
    columns: [
      'scan_id', 'seq', 'site', 'status', 'reasons', 'rule_code', 'method', 'line', 'municipality', 'coupon', 'dose', 'date',
      'maker', 'lot', 'image_sha256', 'version', 'lease_until', 'scanned_at', 'updated_at',
    ],
    orderBy: 'seq',
    identity: 'seq',
    optional: true,
  },
];

/** The head of every stream (last version, its position and hash), written beside the events. */
export const CHAINS_FILE = 'chains.copy';
export const MANIFEST_FILE = 'manifest.json';
