import { createHash, randomUUID } from 'node:crypto';
import type { Actor, EventMetadata } from '../eventstore/contract.js';
import { tokyoToday } from '../domain/index.js';

/** Who asks, with which idempotency key, and on which Tokyo calendar day. */
export type CommandContext = {
  actor: Actor;
  commandId: string;
  correlationId: string;
  causationId?: string;
  today: string;
  /** The moment the command was received (ISO): rules about times (a consent not in the future) read it. */
  now: string;
  /** Digest of the request the key came with: a retry must carry the same one. */
  fingerprint?: string;
};

export const commandContext = (
  actor: Actor,
  commandId?: string,
  correlationId?: string,
  now = new Date(),
  fingerprint?: string,
): CommandContext => {
  const id = commandId ?? randomUUID();
  return { actor, commandId: id, correlationId: correlationId ?? id, today: tokyoToday(now), now: now.toISOString(), fingerprint };
};

export const metadataOf = (c: CommandContext): EventMetadata => ({
  commandId: c.commandId,
  correlationId: c.correlationId,
  causationId: c.causationId ?? c.commandId,
  actor: c.actor,
  ...(c.fingerprint ? { commandFingerprint: c.fingerprint } : {}),
});

/**
 * The stored command id of a client's idempotency key: scoped to the actor, so another caller sending the same
 * key neither gets this caller's result nor is refused because of it, and a client key can never collide with an
 * internal one (`scan:…`, `import:…`). Both event stores dedupe on it as on any id (PostgreSQL's unique
 * (stream, command_id), KurrentDB's UUID v5 event ids). A hash: the sub is not repeated in every event's id.
 */
export const scopedCommandId = (actorSub: string, key: string) =>
  `client:${createHash('sha256').update(actorSub).update('\u0000').update(key).digest('base64url')}`;
