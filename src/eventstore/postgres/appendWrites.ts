import type pg from 'pg';
import type { AppendResult, StreamWrite } from '../contract.js';
import { InvalidEventError, StreamVersionConflictError } from '../errors.js';
import { hintedHeads, readHeads, type Head } from './heads.js';
import { buildCall, callAppend, readCommands, toResult, type AppendCall, type Row } from './appendCall.js';

export const validateWrites = (writes: StreamWrite[]) => {
  const seen = new Set<string>();
  for (const w of writes) {
    if (!w.stream) throw new InvalidEventError('stream name is empty');
    if (seen.has(w.stream)) throw new InvalidEventError('a stream appears twice in one append', { stream: w.stream });
    seen.add(w.stream);
    if (w.events.length === 0) throw new InvalidEventError('an append needs at least one event', { stream: w.stream });
    const id = w.events[0].metadata?.commandId ?? null;
    // A loop, not a Set per write: a bulk append checks thousands of writes.
    if (w.events.some((e) => (e.metadata?.commandId ?? null) !== id)) throw new InvalidEventError('all events of one append share one commandId', { stream: w.stream });
  }
};

/** The last event's version and hash of each stream of a written call. */
const headsOf = (call: AppendCall) => {
  const heads = new Map<string, Head>();
  call.streams.forEach((stream, i) => heads.set(stream, { version: BigInt(call.versions[i]), hash: call.hashes[i].toString('hex') }));
  return heads;
};

const MAX_ATTEMPTS = 50;
/** Unique indexes whose violation means another writer got there first (not a bad request). */
export const RACE_INDEXES = new Set(['events_stream_version_key', 'events_stream_command']);
/** After this many lost races a writer queues on per-stream advisory locks instead, so a hot stream cannot starve it. */
const OPTIMISTIC_ATTEMPTS = 3;

/** Read heads and append while holding transaction-scoped advisory locks on the streams (sorted: no deadlock). */
const appendLocked = async (db: pg.Pool, writes: StreamWrite[], build: (heads: Map<string, Head>) => ReturnType<typeof buildCall>) => {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'SELECT pg_advisory_xact_lock(hashtextextended(s, 7041)) FROM unnest($1::text[]) AS s ORDER BY s',
      [writes.map((w) => w.stream)],
    );
    const rows = await callAppend(client, build(await readHeads(client, writes.map((w) => w.stream))));
    await client.query('COMMIT');
    return rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
};

/**
 * Optimistic append of several streams in one INSERT (one transaction). A head that moved between our read and
 * the write collides on the (stream, version) index and is retried for `any`/`exists`, and reported as a conflict
 * for exact expectations. Writes whose commandId was already recorded return the first result and write nothing.
 */
export const appendWrites = async (
  db: pg.Pool,
  writes: StreamWrite[],
  /** How an optimistic append's INSERT is sent (the store groups concurrent ones: see groupInsert.ts). */
  insert: (call: AppendCall) => Promise<Row[]> = (call) => callAppend(db, call),
  /** Told each stream's new head (version and hash of its last event) once its write is committed. */
  onHeads: (heads: Map<string, Head>) => void = () => {},
): Promise<AppendResult[]> => {
  validateWrites(writes);
  const results = new Map<string, AppendResult>();
  let pending = writes;
  /** A conflict on a write whose command already landed (a retry) is answered with the first result. */
  const settleConflict = async (conflict: StreamVersionConflictError) => {
    const earlier = await readCommands(db, pending);
    if (earlier.length === 0) throw conflict;
    for (const r of earlier) results.set(r.stream, toResult(r));
    pending = pending.filter((w) => !results.has(w.stream));
  };
  for (let attempt = 1; pending.length > 0; attempt++) {
    const current = pending;
    let built: AppendCall | null = null;
    const build = (heads: Map<string, Head>) => (built = buildCall(current, heads, new Date().toISOString()));
    try {
      let rows: Row[];
      if (attempt > OPTIMISTIC_ATTEMPTS) rows = await appendLocked(db, current, build);
      else {
        const hinted = attempt === 1 ? hintedHeads(current) : null;
        rows = await insert(build(hinted ?? (await readHeads(db, current.map((w) => w.stream)))));
      }
      for (const r of rows) results.set(r.stream, toResult(r));
      onHeads(headsOf(built!));
      pending = [];
    } catch (e) {
      if (e instanceof StreamVersionConflictError) {
        await settleConflict(e);
        continue;
      }
      const { code, constraint } = e as { code?: string; constraint?: string };
      // jsonb refuses some text (e.g. a NUL character): the caller's input, not a server fault.
      if (code === '22P05' || code === '22P02') throw new InvalidEventError('event content cannot be stored as JSON');
      // A head moved between our read and the write, or a command id was taken meanwhile: the next turn finds the
      // earlier command or reads the heads again, where an exact expectation that no longer holds is a conflict.
      if (code !== '23505' || !RACE_INDEXES.has(constraint ?? '')) throw e;
      if (attempt >= MAX_ATTEMPTS) throw new StreamVersionConflictError(current[0].stream, 'any', 'moving: too many concurrent writers');
      const earlier = await readCommands(db, current);
      for (const r of earlier) results.set(r.stream, toResult(r));
      pending = pending.filter((w) => !results.has(w.stream));
    }
  }
  return writes.map((w) => results.get(w.stream)!);
};
