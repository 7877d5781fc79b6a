import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { AppendOptions, EventStore, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, StreamWrite, TailOptions } from '../contract.js';
import { StoreCapabilityError } from '../errors.js';
import { subscribeFromTail } from '../subscribeFromTail.js';
import { readAllBatch, readLastEvent } from './allReads.js';
import { appendBulkStreams, appendStreams } from './appendStreams.js';
import { normalizeConnectionString } from './connectionString.js';
import { detectMultiStreamAppend } from './detectCapabilities.js';
import { versionToRevision } from './expectedVersion.js';
import { createLiveWakeup } from './liveWakeup.js';
import { decodeCheckpoint, isAfter } from './position.js';
import { readClientStream, readStreamTail } from './streamReads.js';
import { toRecordedEvent } from './toRecordedEvent.js';
import { validateWrites } from './validateWrites.js';

export type KurrentDbEventStoreOptions = {
  connectionString: string;
  /** Poll interval while live, in case a wake-up from the live subscription is missed. */
  pollMs?: number;
  /** Start-up lines (server version, multi-stream append) and background errors. Defaults to stderr. */
  log?: (line: string) => void;
};

const stderrLog = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The event store contract over KurrentDB (or EventStoreDB >= 20). Connects and probes the server before
 * returning, so a wrong URL or a missing server stops start-up here rather than at the first request.
 */
export const createKurrentDbEventStore = async (options: KurrentDbEventStoreOptions): Promise<EventStore> => {
  const log = options.log ?? stderrLog;
  const pollMs = options.pollMs ?? 250;
  const client = KurrentDBClient.connectionString(normalizeConnectionString(options.connectionString));
  let support: Awaited<ReturnType<typeof detectMultiStreamAppend>>;
  try {
    support = await detectMultiStreamAppend(client);
  } catch (e) {
    await client.dispose().catch(() => {});
    throw e;
  }
  log(support.message);
  const wakeup = createLiveWakeup(client, (e) => log(`KurrentDB live subscription failed (re-opened on the next wait): ${e.message}`));

  async function* readStream(stream: string, { from = 1n, until }: ReadStreamOptions = {}) {
    const fromRevision = from > 1n ? versionToRevision(from) : 0n;
    for await (const e of readClientStream(client, stream, { from: fromRevision, direction: 'forwards' })) {
      const recorded = toRecordedEvent(e);
      if (recorded && (!until || recorded.recordedAt <= until)) yield recorded;
    }
  }

  async function* readAll({ after, batch = 1000 }: ReadAllOptions = {}) {
    let checkpoint = decodeCheckpoint(after);
    for (;;) {
      const { events, last, exhausted } = await readAllBatch(client, checkpoint, batch);
      yield* events;
      if (exhausted || !last) return;
      checkpoint = last;
    }
  }

  async function* tailAll({ after, batch = 1000, signal }: TailOptions = {}) {
    let checkpoint = decodeCheckpoint(after);
    while (!signal?.aborted) {
      const { events, last, exhausted } = await readAllBatch(client, checkpoint, batch);
      if (last && isAfter(last, checkpoint)) checkpoint = last;
      if (events.length > 0) yield events;
      if (exhausted && !signal?.aborted) await wakeup.wait(pollMs, signal);
    }
  }

  const appendMany = async (writes: StreamWrite[]) => {
    validateWrites(writes);
    if (writes.length > 1 && !support.supported) {
      throw new StoreCapabilityError('multiStreamAppend', `this KurrentDB server (${support.serverVersion}) cannot append to several streams atomically`);
    }
    return appendStreams(client, writes);
  };

  const appendBulk = async (writes: StreamWrite[]) => {
    if (writes.length === 0) return { streams: 0, events: 0 };
    validateWrites(writes);
    if (writes.length > 1 && !support.supported) {
      throw new StoreCapabilityError('multiStreamAppend', `this KurrentDB server (${support.serverVersion}) cannot append to several streams atomically`);
    }
    return appendBulkStreams(client, writes);
  };

  return {
    name: 'kurrentdb',
    capabilities: { multiStreamAppend: support.supported },
    append: async (stream: string, events: NewEvent[], { expected = 'any' }: AppendOptions = {}) =>
      (await appendMany([{ stream, events, expected }]))[0],
    appendMany,
    appendBulk,
    readStream,
    readAll,
    tailAll,
    subscribeAll: (opts: ReadAllOptions = {}) => subscribeFromTail(tailAll, opts),
    // One backwards read of the last event per stream: correct, one round trip per stream.
    streamVersions: async (streams: string[]) => {
      const found = new Map<string, bigint>();
      for (const stream of streams) {
        const { head } = await readStreamTail(client, stream);
        if (head) found.set(stream, head.version);
      }
      return found;
    },
    // $all is read in commit order: what committed before the call is already readable.
    settled: async () => {},
    head: async () => {
      const e: RecordedEvent | null = await readLastEvent(client);
      return e ? { checkpoint: e.checkpoint, position: e.position, recordedAt: e.recordedAt } : null;
    },
    close: async () => {
      await wakeup.close();
      await client.dispose();
    },
  };
};
