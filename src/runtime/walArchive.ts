import { mkdir } from 'node:fs/promises';
import { handToPostgres } from './pgBinaries.js';

/** Only plain absolute paths reach the archive command (it runs through /bin/sh): checked in configuration. */
export const ARCHIVE_DIR_PATTERN = /^\/[A-Za-z0-9_.\/-]+$/;

/**
 * Copies a finished WAL segment into the archive folder under a temporary name, flushes it to disk, then
 * renames it: the archive never holds half a segment. A segment already archived is accepted only when it is
 * byte for byte the same (PostgreSQL may retry after a crash), never overwritten.
 */
export const archiveCommand = (dir: string) => {
  if (!ARCHIVE_DIR_PATTERN.test(dir)) throw new Error('VRS_WAL_ARCHIVE must be an absolute path of letters, digits, _ . - and /');
  return `if [ -f ${dir}/%f ]; then cmp -s %p ${dir}/%f; else cp %p ${dir}/%f.part && sync ${dir}/%f.part && mv ${dir}/%f.part ${dir}/%f; fi`;
};

export const restoreCommand = (dir: string) => {
  if (!ARCHIVE_DIR_PATTERN.test(dir)) throw new Error('VRS_WAL_ARCHIVE must be an absolute path of letters, digits, _ . - and /');
  return `cp ${dir}/%f %p`;
};

/** The archive folder exists and the PostgreSQL OS user can write it (when we run as root it is not us). */
export const prepareArchiveDir = async (dir: string) => {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await handToPostgres(dir);
};
