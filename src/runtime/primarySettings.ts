import { archiveCommand } from './walArchive.js';

/**
 * Server settings for the embedded PostgreSQL when it is a primary: WAL for standbys (the defaults already allow
 * replication: wal_level replica, 10 WAL senders) and continuous archiving with VRS_WAL_ARCHIVE.
 * VRS_SYNC_STANDBY is applied once the server runs (applySyncStandby).
 */
export const primarySettings = (config: { VRS_WAL_ARCHIVE?: string }): Record<string, string> => ({
  wal_level: 'replica',
  max_wal_senders: '10',
  max_replication_slots: '10',
  ...(config.VRS_WAL_ARCHIVE
    ? { archive_mode: 'on', archive_command: archiveCommand(config.VRS_WAL_ARCHIVE), archive_timeout: '60' }
    : {}),
});
