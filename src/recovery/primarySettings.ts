import { archiveCommand } from './walArchive.js';

/**
 * Server settings for the embedded PostgreSQL when it is a primary: WAL for standbys (the defaults already allow
 * replication: wal_level replica, 10 WAL senders), continuous archiving with VRS_WAL_ARCHIVE, and with
 * VRS_SYNC_STANDBY=on a commit (so a 201) waits until a standby has flushed it to its disk.
 */
export const primarySettings = (config: { VRS_WAL_ARCHIVE?: string; VRS_SYNC_STANDBY: 'on' | 'off' }): Record<string, string> => ({
  wal_level: 'replica',
  max_wal_senders: '10',
  max_replication_slots: '10',
  ...(config.VRS_WAL_ARCHIVE
    ? { archive_mode: 'on', archive_command: archiveCommand(config.VRS_WAL_ARCHIVE), archive_timeout: '60' }
    : {}),
  ...(config.VRS_SYNC_STANDBY === 'on' ? { synchronous_standby_names: '*' } : {}),
});
