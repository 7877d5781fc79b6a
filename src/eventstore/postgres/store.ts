import pg from 'pg';
import { Observable } from 'rxjs';
import type { AppendOptions, BulkEvent, EventStore, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, StreamWrite, TailOptions } from '../contract.js';
import { appendWrites } from './appendWrites.js';
import { appendBulk } from './appendBulk.js';
import { createGroupInsert } from './groupInsert.js';
import { createGroupRead } from './groupRead.js';
import { createStreamQueue } from './streamQueue.js';
import { createRecentHeads } from './recentHeads.js';
import { readHeads } from './heads.js';
import { openWrites, readBatch, readBulkBatch, readBulkTextBatch, waitSettled } from './readBatch.js';
import { shareReads } from './sharedReads.js';
import { createNotifications } from './notifications.js';
import { decodeCheckpoint, EVENT_COLUMNS, rowToEvent, type EventRow } from './rowToEvent.js';
import { subscribeFromTail } from '../subscribeFromTail.js';
import { createCoalescedNotify } from './coalescedNotify.js';

export type PostgresEventStoreOptions = {
  connectionString: string;
  pool?: pg.Pool;
  /** Poll interval while live, in case a notification is missed or an old transaction blocks the guard. */
  pollMs?: number;
  onError?: (e: Error) => void;
  /** Bound of the cache of heads this process wrote (VRS_CACHE_STREAM_HEADS_BYTES). */
  headCacheBytes?: number;
};

/** Stream reads page through the table in chunks so a long stream never sits in memory at once. */
const STREAM_PAGE = 1000;
/** Each tail runs one short query at a time; the few a process has (projections, live statistics) share these. */
const TAIL_CONNECTIONS = 3;

export const createPostgresEventStore = (options: PostgresEventStoreOptions): EventStore & { pool: pg.Pool } => {
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 20 });
  const ownsPool = !options.pool;
  // An idle client dropped by the server (restart, admin kill) must not crash the process: the pool replaces it.
  if (ownsPool) pool.on('error', (e) => options.onError?.(e));
  const pollMs = options.pollMs ?? 250;
  const notifications = createNotifications(options.connectionString, options.onError ?? (() => {}));
  // Tails and the NOTIFY that wakes them have connections of their own: queued in `pool` behind appends
  // (which back up whenever PostgreSQL stalls), committed events reached subscribers only as late as the
  // slowest append. Connected on first use: a process that neither appends nor tails opens none.
  const tailPool = new pg.Pool({ connectionString: options.connectionString, max: TAIL_CONNECTIONS });
  tailPool.on('error', (e) => options.onError?.(e));

  const wake = createCoalescedNotify(tailPool, options.onError ?? (() => {}));
  const groupInsert = createGroupInsert(pool);
  const inStreamOrder = createStreamQueue();
  const recentHeads = createRecentHeads(options.headCacheBytes);
  const appendMany = async (writes: StreamWrite[]) => {
    const results = await inStreamOrder(
      writes.map((w) => w.stream),
      // Hinted once this write's turn has come: the head the previous one from here left.
      () => appendWrites(pool, recentHeads.hint(writes), groupInsert, recentHeads.remember),
    );
    if (results.some((r) => !r.duplicate)) wake();
    return results;
  };

  const groupRead = createGroupRead(pool, STREAM_PAGE);
  async function* readStream(stream: string, { from = 1n, until }: ReadStreamOptions = {}) {
    let next = from;
    if (from === 1n && !until) {
      // The common read (a whole stream, now) joins concurrent ones in one statement; later pages go alone.
      const rows = await groupRead(stream);
      for (const r of rows) yield rowToEvent(r);
      if (rows.length < STREAM_PAGE) return;
      next = BigInt(rows[rows.length - 1].version) + 1n;
    }
    for (;;) {
      const { rows } = await pool.query<EventRow>({
        name: 'vrs-read-stream',
        text: `SELECT ${EVENT_COLUMNS} FROM events
         WHERE stream = $1 AND version >= $2 AND ($3::timestamptz IS NULL OR recorded_at <= $3)
         ORDER BY version LIMIT $4`,
        values: [stream, next.toString(), until ?? null, STREAM_PAGE],
      });
      for (const r of rows) yield rowToEvent(r);
      if (rows.length < STREAM_PAGE) return;
      next = BigInt(rows[rows.length - 1].version) + 1n;
    }
  }

  async function* readAll({ after, batch = 1000 }: ReadAllOptions = {}) {
    let checkpoint = decodeCheckpoint(after);
    for (;;) {
      const events = await readBatch(pool, checkpoint, batch);
      yield* events;
      if (events.length < batch) return;
      checkpoint = decodeCheckpoint(events[events.length - 1].checkpoint);
    }
  }

  const readAllInBatches = <E extends { checkpoint: string }>(read: (db: pg.Pool, after: { transactionId: bigint; position: bigint }, batch: number) => Promise<E[]>) =>
    async function* ({ after, batch = 1000 }: ReadAllOptions = {}) {
      let next = read(pool, decodeCheckpoint(after), batch);
      for (;;) {
        const events = await next;
        if (events.length === 0) return;
        // The next batch is read (on another connection) while the caller folds this one.
        next = events.length < batch ? Promise.resolve([]) : read(pool, decodeCheckpoint(events[events.length - 1].checkpoint), batch);
        next.catch(() => {}); // surfaced by the await above; not unhandled if the caller stops early
        yield events;
      }
    };
  const readAllBulk = readAllInBatches(readBulkBatch);

  const tail = <E extends BulkEvent>(read: (db: pg.Pool, after: { transactionId: bigint; position: bigint }, batch: number) => Promise<E[]>) =>
    async function* ({ after, batch = 1000, signal }: TailOptions = {}) {
      let checkpoint = decodeCheckpoint(after);
      await notifications.listen();
      while (!signal?.aborted) {
        // A notification that arrives while this batch is read must not wait for the next one (or the poll).
        const seen = notifications.wakes();
        const events = await read(tailPool, checkpoint, batch);
        if (events.length > 0) {
          checkpoint = decodeCheckpoint(events[events.length - 1].checkpoint);
          yield events;
        }
        if (events.length < batch && !signal?.aborted) await notifications.wait(pollMs, signal, seen);
      }
    };
  const tailAll = tail(readBatch);
  const sharedBulkRead = shareReads(readBulkBatch);

  const head = async () => {
    const { rows } = await pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events ORDER BY position DESC LIMIT 1`,
    );
    if (rows.length === 0) return null;
    const e = rowToEvent(rows[0]);
    return { checkpoint: e.checkpoint, position: e.position, recordedAt: e.recordedAt };
  };

  return {
    name: 'postgres',
    pool,
    capabilities: { multiStreamAppend: true },
    append: async (stream: string, events: NewEvent[], { expected = 'any', head }: AppendOptions = {}) =>
      (await appendMany([{ stream, events, expected, head }]))[0],
    appendMany,
    // New streams, not remembered in recentHeads: a load's streams are rarely appended to again soon.
    appendBulk: async (writes: StreamWrite[]) => {
      const result = await appendBulk(pool, writes);
      if (result.events > 0) wake();
      return result;
    },
    readStream,
    readAll,
    readAllBulk,
    readAllBulkText: readAllInBatches(readBulkTextBatch),
    tailAll,
    tailAllBulk: tail(sharedBulkRead),
    subscribeAll: (opts: ReadAllOptions = {}): Observable<RecordedEvent> => subscribeFromTail(tailAll, opts),
    head,
    settled: async ({ signal }: { signal?: AbortSignal } = {}) => waitSettled(pool, signal),
    openWrites: () => openWrites(pool),
    // One probe of the (stream, version) index per stream, the whole batch in one round trip.
    streamVersions: async (streams: string[]) =>
      new Map([...(streams.length ? await readHeads(pool, streams) : [])].map(([stream, h]) => [stream, h.version])),
    // The stream column is collated "C": the prefix is a range of the (stream, version) index. LIKE's own
    // characters in the prefix are escaped; the pattern is a parameter.
    streamsByPrefix: async (prefix: string, { after = '', limit }: { after?: string; limit: number }) => {
      const { rows } = await pool.query<{ stream: string }>(
        'SELECT stream FROM events WHERE stream LIKE $1 AND stream > $2 AND version = 1 ORDER BY stream LIMIT $3',
        [`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, after, limit],
      );
      return rows.map((r) => r.stream);
    },
    close: async () => {
      await notifications.close();
      await tailPool.end();
      if (ownsPool) await pool.end();
    },
  };
};
