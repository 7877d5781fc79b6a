import type pg from 'pg';
import { AccountError } from './errors.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { findCredentials } from './users.js';
import { createSession, deleteExpiredSessions } from './sessions.js';
import { recentAddressFailures, recentUserFailures, recordSignIn } from './signInLog.js';

/** Five wrong passwords for one username within 15 minutes lock it for the rest of those 15 minutes. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_WINDOW_SECONDS = 15 * 60;
/** One address may fail 20 times in 15 minutes, across all usernames (password spraying), then waits. */
export const ADDRESS_MAX_FAILURES = 20;

const failed = () => new AccountError('SIGN_IN_FAILED', 'ユーザー名またはパスワードが違います (the username or password is wrong)');

const retryAfter = (from: Date | null) => Math.max(1, Math.ceil(((from?.getTime() ?? Date.now()) + LOCK_WINDOW_SECONDS * 1000 - Date.now()) / 1000));

/**
 * Sign-in: refused while the address or the username is over its limit (nothing verified then), else the
 * password checked (an unknown or disabled user costs the same verify and gets the same answer as a wrong
 * password). Every outcome is recorded. Answers the new session.
 */
export const signIn = (pool: pg.Pool, username: string, password: string, address: string) => {
  // Attempts for one username take turns in this process, so parallel guesses cannot all pass the count first.
  const previous = turns.get(username) ?? Promise.resolve();
  const mine = previous.then(() => attempt(pool, username, password, address));
  const settled = mine.then(() => {}, () => {});
  turns.set(username, settled);
  void settled.then(() => {
    if (turns.get(username) === settled) turns.delete(username);
  });
  return mine;
};

const turns = new Map<string, Promise<void>>();

const attempt = async (pool: pg.Pool, username: string, password: string, address: string) => {
  if ((await recentAddressFailures(pool, address, LOCK_WINDOW_SECONDS)) >= ADDRESS_MAX_FAILURES) {
    await recordSignIn(pool, username, 'refused-rate-limited', address);
    throw new AccountError('SIGN_IN_RATE_LIMITED', 'この端末からのサインイン失敗が多すぎます。しばらくしてから再度お試しください (too many failed sign-ins from this address; try again later)', { retryAfterSeconds: LOCK_WINDOW_SECONDS });
  }
  const before = await recentUserFailures(pool, username, LOCK_WINDOW_SECONDS);
  if (before.n >= LOCK_AFTER_FAILURES) {
    await recordSignIn(pool, username, 'refused-locked', address);
    throw new AccountError('SIGN_IN_LOCKED', 'サインインの失敗が続いたため、このユーザーは一時的にロックされています (this user is locked after repeated failed sign-ins; try again later)', { retryAfterSeconds: retryAfter(before.first) });
  }
  const found = await findCredentials(pool, username);
  const ok = await verifyPassword(found?.hash ?? (await dummyHash()), password);
  if (!found || !ok || found.user.disabledAt !== null) {
    await recordSignIn(pool, username, 'failed', address);
    if (before.n + 1 >= LOCK_AFTER_FAILURES) await recordSignIn(pool, username, 'locked', address);
    throw failed();
  }
  await deleteExpiredSessions(pool);
  const session = await createSession(pool, found.user.username);
  await recordSignIn(pool, username, 'signed-in', address);
  return { user: found.user, ...session };
};
