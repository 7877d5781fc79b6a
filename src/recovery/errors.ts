/** A backup that must not be restored: tampered, truncated or incomplete. `file` names where, `reason` why. */
export class BackupRefusedError extends Error {
  readonly code = 'BACKUP_REFUSED';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`backup refused: ${file}: ${reason}`);
  }
}

/** Restore only writes into an empty database and data directory. */
export class RestoreTargetNotEmptyError extends Error {
  readonly code = 'RESTORE_TARGET_NOT_EMPTY';
  constructor(what: string) {
    super(`restore refused: ${what} is not empty; restore writes only into an empty database and data directory`);
  }
}

/** Keys given to restore are not the ones the backup's data keys were wrapped with. */
export class RestoreKeyMismatchError extends Error {
  readonly code = 'RESTORE_KEY_MISMATCH';
  constructor() {
    super('restore refused: the keys given are not the ones this backup was made with; give the original HMAC key and the key-encryption key of the backup\'s key epoch (VRS_MASTER_KEY / master.key for epoch 0, kek-N.key after a rotation; VRS_HMAC_KEY / hmac.key)');
  }
}
