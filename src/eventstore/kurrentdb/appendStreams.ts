import { randomUUID } from 'node:crypto';
import { ErrorType, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { AppendResult, BulkAppendResult, StreamWrite } from '../contract.js';
import { StreamVersionConflictError } from '../errors.js';
import { deriveEventId } from './eventId.js';
import { describeExpected, satisfies, versionToRevision } from './expectedVersion.js';
import { isVersionConflict, toStoreError } from './mapError.js';
import { planWrite, type PlannedWrite } from './planWrite.js';
import { readStreamTail, readWritten } from './streamReads.js';
import { writeIdOf, type ClientEvent } from './toRecordedEvent.js';
import { commandIdOf } from './validateWrites.js';

/** Each turn lets at least one racing writer through, so this bounds the wait of `any` appends under contention. */
const MAX_ATTEMPTS = 50;

const idsFor = (w: StreamWrite): string[] | undefined => {
  const commandId = commandIdOf(w);
  return commandId === undefined ? undefined : w.events.map((_, i) => deriveEventId(w.stream, commandId, i));
};

const positionsOf = (events: ClientEvent[]) => events.map((e) => e.position?.commit ?? 0n);

const duplicateOf = (stream: string, earlier: ClientEvent[]): AppendResult => ({
  stream,
  nextExpectedVersion: earlier[earlier.length - 1].revision + 1n,
  positions: positionsOf(earlier),
  duplicate: true,
});

const send = async (client: KurrentDBClient, plans: PlannedWrite[]): Promise<void> => {
  if (plans.length === 1) {
    const [p] = plans;
    const r = await client.appendToStream(p.stream, p.events, { streamState: p.expectedState });
    // Only reachable if the client was built with throwOnAppendFailure=false.
    if (!r.success) throw { type: ErrorType.WRONG_EXPECTED_VERSION, streamName: p.stream, expectedState: p.expectedState };
    return;
  }
  await client.multiStreamAppend(plans.map((p) => ({ streamName: p.stream, events: p.events, expectedState: p.expectedState })));
};

/**
 * Reads back what a successful write stored. Our attempt id on the first event means we wrote it; another id
 * means the server de-duplicated our events against an identical concurrent try of the same command.
 */
const confirm = async (client: KurrentDBClient, p: PlannedWrite, writeId: string): Promise<AppendResult> => {
  const written = await readWritten(client, p.stream, versionToRevision(p.firstVersion), p.events.length);
  if (written.length === p.ids.length && written.every((e, i) => e.id === p.ids[i])) {
    return { stream: p.stream, nextExpectedVersion: p.lastVersion, positions: positionsOf(written), duplicate: writeIdOf(written[0]) !== writeId };
  }
  // The server recognised the ids from elsewhere in the stream: answer with where they are.
  const { earlier } = await readStreamTail(client, p.stream, p.ids);
  if (!earlier) throw new Error(`KurrentDB acknowledged a write to ${p.stream} that cannot be read back`);
  return duplicateOf(p.stream, earlier);
};

const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt, 10)));

/**
 * Optimistic append of one or more streams (several only through multiStreamAppend, all or nothing). Each turn
 * reads every stream's head, answers writes whose command already landed with the first result, checks the
 * caller's expectations, and writes with the exact revisions it read: the chain hashes depend on them. A head
 * that moved in between is a new turn; an exact expectation then fails on the fresh head, as in Postgres.
 */
export const appendStreams = async (client: KurrentDBClient, writes: StreamWrite[]): Promise<AppendResult[]> => {
  const results = new Map<string, AppendResult>();
  let pending = writes;
  let lastConflict: unknown;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) throw toStoreError(lastConflict, pending[0].stream);
    const tails = await Promise.all(pending.map((w) => readStreamTail(client, w.stream, idsFor(w))));
    pending.forEach((w, i) => {
      const earlier = tails[i].earlier;
      if (earlier) results.set(w.stream, duplicateOf(w.stream, earlier));
    });
    const todo = pending.map((w, i) => ({ w, head: tails[i].head })).filter(({ w }) => !results.has(w.stream));
    if (todo.length === 0) break;
    for (const { w, head } of todo) {
      const expected = w.expected ?? 'any';
      if (!satisfies(expected, head)) {
        throw new StreamVersionConflictError(w.stream, describeExpected(expected), head ? head.version.toString() : 'no_stream');
      }
    }
    const writeId = randomUUID();
    const now = new Date().toISOString();
    const plans = todo.map(({ w, head }) => planWrite(w, head, now, writeId));
    try {
      await send(client, plans);
    } catch (e) {
      if (!isVersionConflict(e)) throw toStoreError(e);
      lastConflict = e;
      pending = todo.map(({ w }) => w);
      await pause(attempt);
      continue;
    }
    for (const p of plans) results.set(p.stream, await confirm(client, p, writeId));
    pending = [];
  }
  return writes.map((w) => results.get(w.stream)!);
};

/**
 * The contract's bulk append: every write in one append (multiStreamAppend for several streams), all or nothing,
 * nothing retried. Streams expected new are not read (the server refuses one that exists); the others' tails are
 * read, in parallel, for their hash chains. A conflict fails the whole batch.
 */
export const appendBulkStreams = async (client: KurrentDBClient, writes: StreamWrite[]): Promise<BulkAppendResult> => {
  const tails = await Promise.all(writes.map((w) => (w.expected === 'no_stream' ? null : readStreamTail(client, w.stream, idsFor(w)))));
  const writeId = randomUUID();
  const now = new Date().toISOString();
  const plans = writes.map((w, i) => {
    const head = tails[i]?.head;
    const expected = w.expected ?? 'any';
    // A command the stream already holds is a conflict here (appendMany would answer it as a duplicate).
    if (tails[i]?.earlier) throw new StreamVersionConflictError(w.stream, describeExpected(expected), 'the command is already written');
    if (!satisfies(expected, head)) throw new StreamVersionConflictError(w.stream, describeExpected(expected), head ? head.version.toString() : 'no_stream');
    return planWrite(w, head, now, writeId);
  });
  try {
    await send(client, plans);
  } catch (e) {
    throw toStoreError(e);
  }
  return { streams: plans.length, events: plans.reduce((n, p) => n + p.events.length, 0) };
};
