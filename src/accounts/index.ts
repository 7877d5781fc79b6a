export { consoleMigrations, consoleGrants } from './migrations.js';
export { AccountRole, Username, Password, SiteCode, refineUserScope } from './accountSchemas.js';
export { AccountError } from './errors.js';
export { generatePassword } from './passwords.js';
export { addUser, disableUser, listUsers, unlockUser, type User } from './users.js';
export { findSession, deleteSession, SESSION_IDLE_SECONDS, SESSION_MAX_SECONDS, type Session } from './sessions.js';
export { signIn, LOCK_AFTER_FAILURES, LOCK_WINDOW_SECONDS, ADDRESS_MAX_FAILURES } from './signIn.js';
export { recordSignIn, readSignIns } from './signInLog.js';
