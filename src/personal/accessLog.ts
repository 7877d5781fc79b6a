import type pg from 'pg';
import type { Actor } from '../eventstore/contract.js';

type Entry = { at: Date; actor: string; sub: string; record: string; endpoint: string };
type Batch = { entries: Entry[]; done: Promise<void>; resolve: () => void; reject: (e: unknown) => void };

const openBatch = (): Batch => {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { entries: [], done, resolve, reject };
};

const insert = (pool: pg.Pool, entries: Entry[]) =>
  pool.query(
    `INSERT INTO access_log (at, actor, actor_sub, record, endpoint)
     SELECT * FROM unnest($1::timestamptz[], $2::jsonb[], $3::text[], $4::text[], $5::text[])`,
    [entries.map((e) => e.at), entries.map((e) => e.actor), entries.map((e) => e.sub), entries.map((e) => e.record), entries.map((e) => e.endpoint)],
  );

/**
 * Group commit: while two INSERTs are committing, the rows of concurrent requests gather for the next, so 50
 * readers cost a few commits rather than 50 fsyncs; a second one in flight means a request arriving during a
 * commit waits for its own commit only, not for that one first (the server flushes both as one when it can).
 * Each caller's promise settles only once the transaction holding its rows has committed (or failed), so no
 * response goes out before its log row is durable.
 */
const groupCommitter = (pool: pg.Pool, maxInFlight = 2) => {
  let pending: Batch | null = null;
  let inFlight = 0;
  const next = () => {
    if (!pending || inFlight >= maxInFlight) return;
    const batch = pending;
    pending = null;
    inFlight++;
    void insert(pool, batch.entries)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        inFlight--;
        next();
      });
  };
  return (entries: Entry[]): Promise<void> => {
    pending ??= openBatch();
    pending.entries.push(...entries);
    const { done } = pending;
    next();
    return done;
  };
};

const committers = new WeakMap<pg.Pool, ReturnType<typeof groupCommitter>>();

/**
 * Every read of a person's data goes in the append-only access log (actor, time, record, endpoint), as the
 * My Number law expects. `endpoint` is the route pattern, never the concrete URL. Resolves once committed.
 */
export const recordAccess = async (pool: pg.Pool, actor: Actor, records: string[], endpoint: string) => {
  if (records.length === 0) return;
  let commit = committers.get(pool);
  if (!commit) committers.set(pool, (commit = groupCommitter(pool)));
  const at = new Date();
  const json = JSON.stringify(actor);
  await commit(records.map((record) => ({ at, actor: json, sub: actor.sub, record, endpoint })));
};
