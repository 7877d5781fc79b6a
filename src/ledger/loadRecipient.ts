import { foldStream, recipientDecider, type RecipientState } from '../domain/index.js';
import type { RecordedEvent } from '../eventstore/contract.js';
import { openEvent } from '../personal/openEvent.js';
import type { LedgerDeps } from './ledgerDeps.js';
import type { CommandContext } from './commandContext.js';
import { IdempotencyKeyReusedError } from './idempotencyKeyReusedError.js';

export type LoadedRecipient = {
  stream: string;
  state: RecipientState;
  /** 0n when the stream does not exist. */
  version: bigint;
  /** The stored events with personal fields opened (null where erased). */
  events: RecordedEvent[];
};

/** Folds a recipient stream (up to `until`, for history as of a time). The state is never read from a projection. */
export const loadRecipient = async (deps: LedgerDeps, stream: string, until?: Date): Promise<LoadedRecipient> => {
  // The key and the events in parallel (two connections): one round trip of latency instead of two.
  const keyed = deps.dataKeys.get(stream);
  keyed.catch(() => {}); // awaited below; not an unhandled rejection if the stream read fails first
  const stored: RecordedEvent[] = [];
  for await (const e of deps.store.readStream(stream, { until })) stored.push(e);
  let key = await keyed;
  if (key && stored.some((e) => e.type === 'PersonalDataErased')) {
    // The erasure was appended but its key survived (a crash in between): finish it, and read as erased.
    await deps.dataKeys.erase(stream);
    key = null;
  }
  const events = stored.map((e) => openEvent(key, e));
  const { state, version } = foldStream(recipientDecider, events);
  return { stream, state: state.kind === 'registered' ? { ...state, version } : state, version, events };
};

/** The loaded stream's head, for the append that follows (see StreamWrite.head). */
export const headOf = (loaded: LoadedRecipient) => {
  const last = loaded.events[loaded.events.length - 1];
  return last ? { version: last.version, hash: last.hash } : undefined;
};

/**
 * The result of an earlier command with this id on the stream, if any (a client retry). The same key sent
 * with a different request is refused rather than answered with the other request's result.
 */
export const earlierResult = (loaded: LoadedRecipient, c: Pick<CommandContext, 'commandId' | 'fingerprint'>) => {
  const mine = loaded.events.filter((e) => e.metadata.commandId === c.commandId);
  if (mine.length === 0) return null;
  const earlier = mine[0].metadata.commandFingerprint;
  if (c.fingerprint && typeof earlier === 'string' && earlier !== c.fingerprint) throw new IdempotencyKeyReusedError();
  const last = mine[mine.length - 1];
  return { stream: loaded.stream, version: last.version, positions: mine.map((e) => e.position), duplicate: true };
};
