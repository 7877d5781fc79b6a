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
  /** Rows the migrations put in a new database (key epoch 0): replaced by the backup's, not counted as content. */
  replaceOnRestore?: boolean;
  /** A read model that older backups copied: still verified in them, never written by a backup nor loaded (rebuilt). */
  legacy?: boolean;
};

export const BACKUP_TABLES: BackupTable[] = [
  {
    name: 'events',
    file: 'events.copy',
    columns: ['position', 'stream', 'version', 'type', 'data', 'metadata', 'recorded_at', 'hash', 'command_id'],
    orderBy: 'position',
    identity: 'position',
  },
  // Before recipient_keys: a data key may only be loaded under an epoch that exists (trigger of personal migration 3).
  { name: 'key_epochs', file: 'key_epochs.copy', columns: ['epoch', 'created_at', 'completed_at', 'destroyed_at'], orderBy: 'epoch', replaceOnRestore: true },
  { name: 'recipient_keys', file: 'recipient_keys.copy', columns: ['stream', 'wrapped_key', 'created_at', 'epoch'], orderBy: 'stream' },
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
    // A projection of the scan events since scans migration 2: rebuilt on restore like the other read models.
    legacy: true,
  },
];

/** The head of every stream (last version, its position and hash), written beside the events. */
export const CHAINS_FILE = 'chains.copy';
export const MANIFEST_FILE = 'manifest.json';
