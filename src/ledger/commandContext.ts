import { randomUUID } from 'node:crypto';
import type { Actor, EventMetadata } from '../eventstore/contract.js';
import { tokyoToday } from '../domain/index.js';

/** Who asks, with which idempotency key, and on which Tokyo calendar day. */
export type CommandContext = { actor: Actor; commandId: string; correlationId: string; causationId?: string; today: string };

export const commandContext = (actor: Actor, commandId?: string, correlationId?: string, now = new Date()): CommandContext => {
  const id = commandId ?? randomUUID();
  return { actor, commandId: id, correlationId: correlationId ?? id, today: tokyoToday(now) };
};

export const metadataOf = (c: CommandContext): EventMetadata => ({
  commandId: c.commandId,
  correlationId: c.correlationId,
  causationId: c.causationId ?? c.commandId,
  actor: c.actor,
});
