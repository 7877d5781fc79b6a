import type { Observable } from 'rxjs';

/** Who did something: carried in every event's metadata. */
export type Actor = { role: string; sub: string; municipality?: string; site?: string };

export type EventMetadata = {
  commandId?: string;
  correlationId?: string;
  causationId?: string;
  actor?: Actor;
  /** Set by the store at append time (ISO instant) unless the caller gave one. */
  recordedAt?: string;
  [key: string]: unknown;
};

export type NewEvent = {
  type: string;
  data: Record<string, unknown>;
  metadata?: EventMetadata;
};

export type RecordedEvent = {
  stream: string;
  /** 1-based: the first event of a stream has version 1. */
  version: bigint;
  /** Global position, unique and increasing in append order (not necessarily commit order). */
  position: bigint;
  /** Resume token for readAll/subscribeAll (`after`); its format and order are the contract's (checkpointOrder.ts). */
  checkpoint: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata & { recordedAt: string };
  recordedAt: Date;
  /** Hex SHA-256 of (previous hash ‖ canonical content): see hashChain.ts. */
  hash: string;
};

/**
 * An event as a rebuild's bulk load reads it: without metadata and hash, whose parsing would be a third of the
 * cost of reading an event that the fold never looks at.
 */
export type BulkEvent = Pick<RecordedEvent, 'stream' | 'version' | 'position' | 'checkpoint' | 'type' | 'data' | 'recordedAt'>;
/** A BulkEvent whose data is still its JSON text: for a reader that parses it elsewhere (another thread). */
export type BulkTextEvent = Omit<BulkEvent, 'data'> & { data: string };

/** `no_stream`: must not exist; `exists`: must exist; `any`: no check; bigint: the stream's current version. */
export type ExpectedVersion = 'no_stream' | 'any' | 'exists' | bigint;

export type AppendOptions = { expected?: ExpectedVersion; head?: StreamWrite['head'] };

export type AppendResult = {
  stream: string;
  /** The stream's version after the append (= version of its last event). */
  nextExpectedVersion: bigint;
  positions: bigint[];
  /** True when the append's commandId was already written: nothing was written this time. */
  duplicate: boolean;
};

export type StreamWrite = {
  stream: string;
  events: NewEvent[];
  expected?: ExpectedVersion;
  /**
   * The stream's head as the caller just read it (version and hash of its last event, from readStream):
   * lets a store skip reading it again. A head that moved meanwhile is still caught as a conflict.
   */
  head?: { version: bigint; hash: string };
};

/** What a bulk append wrote (it reads nothing back: a load needs no positions). */
export type BulkAppendResult = { streams: number; events: number };

export type ReadStreamOptions = { from?: bigint; until?: Date };
export type ReadAllOptions = { after?: string; batch?: number };
export type TailOptions = ReadAllOptions & { signal?: AbortSignal };

export type StoreCapabilities = {
  /** False on stores that cannot write several streams atomically (old EventStoreDB): transfers are refused. */
  multiStreamAppend: boolean;
};

/** An open write transaction, as an operator would look for it (pg_stat_activity). */
export type OpenWrite = {
  pid: number;
  /** The transaction id (as text: xid8), which tells one transaction of a session from its next. */
  xid: string;
  database: string | null;
  application: string | null;
  /** Null when this role may not see the session's state and start (another role's, without pg_read_all_stats). */
  state: string | null;
  seconds: number | null;
};

export interface EventStore {
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** All writes or none, in one transaction. Idempotent per stream through metadata.commandId. */
  appendMany(writes: StreamWrite[]): Promise<AppendResult[]>;
  /**
   * A load of many writes (an import batch) at bulk speed: one transaction, all or nothing, nothing retried. A write
   * expecting `no_stream` is not read first (creating it finds one that exists); the heads of the others are read
   * in one query and their expectations checked. Any conflict (a stream that exists or moved meanwhile, a commandId
   * already written) fails the whole batch with STREAM_VERSION_CONFLICT and writes nothing: the caller settles it,
   * e.g. write by write through appendMany, which answers a retried command with its first result. (KurrentDB may
   * instead accept a batch whose every event it already holds under the same ids: still nothing written twice.)
   */
  appendBulk(writes: StreamWrite[]): Promise<BulkAppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Every committed event after the checkpoint, in checkpoint order; ends at the current head. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Optional, for stores that can skip them cheaply: readAll as BulkEvent batches, the next batch read while the caller works on this one. */
  readAllBulk?(options?: ReadAllOptions): AsyncIterable<BulkEvent[]>;
  /** Optional: readAllBulk with each event's data left as JSON text (a rebuild parses it in its worker threads). */
  readAllBulkText?(options?: ReadAllOptions): AsyncIterable<BulkTextEvent[]>;
  /** Catch-up then live, as batches, pulled by the consumer (natural back-pressure). Ends when signal aborts. */
  tailAll(options?: TailOptions): AsyncIterable<RecordedEvent[]>;
  /** Optional, for stores that can skip them cheaply: tailAll as BulkEvent batches (what projections read). */
  tailAllBulk?(options?: TailOptions): AsyncIterable<BulkEvent[]>;
  /** Catch-up then live, one event at a time, in checkpoint order, never skipping a late commit. */
  subscribeAll(options?: ReadAllOptions): Observable<RecordedEvent>;
  /** The current version of each of `streams` that exists (a stream absent from the map does not exist). */
  streamVersions(streams: string[]): Promise<Map<string, bigint>>;
  /**
   * Optional, for stores that can list streams cheaply (PostgreSQL; not KurrentDB): up to `limit` names of existing
   * streams that start with `prefix`, after `after`, in byte order (keyset pages).
   */
  streamsByPrefix?(prefix: string, options: { after?: string; limit: number }): Promise<string[]>;
  /**
   * Resolves once readAll can return every event committed before the call. A PostgreSQL reader holds back the
   * commits of transactions younger than the oldest one still open (so a late commit is never skipped): this
   * waits for the transactions open at the call to end. A rebuild calls it first, so it holds all that came before.
   */
  settled(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Optional (PostgreSQL): the write transactions open in the cluster now, oldest first. Each one holds back every
   * reader (projections, live statistics, a rebuild's settle) from commits younger than it, so an operator needs
   * to know which session to end. Lists only the sessions this role may see (all of them with pg_read_all_stats).
   */
  openWrites?(): Promise<OpenWrite[]>;
  /** The newest committed event's checkpoint and position (for lag), or null on an empty store. */
  head(): Promise<{ checkpoint: string; position: bigint; recordedAt: Date } | null>;
  close(): Promise<void>;
}
