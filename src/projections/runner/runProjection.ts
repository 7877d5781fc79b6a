import type pg from 'pg';
import type { BulkEvent, EventStore } from '../../eventstore/contract.js';
import type { ProjectionDefinition } from '../projection.js';
import { projectionLockKey, tryAdvisoryLock } from './advisoryLock.js';
import { applyEvents } from './applyEvents.js';
import { ensureCheckpoint, recordFailure } from './checkpoints.js';
import { ensureTables } from './ensureTables.js';

/** The pino-shaped logger the runner writes to (fastify's `app.log` fits). Fields never carry personal data. */
export type RunnerLog = {
  info: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
};

export type ProjectionRunState = {
  name: string;
  /** This process holds the projection's lock and applies it. */
  applying: boolean;
  failed: { position: bigint; message: string } | null;
};

export type RunProjectionOptions = {
  pool: pg.Pool;
  store: EventStore;
  projection: ProjectionDefinition;
  signal: AbortSignal;
  log: RunnerLog;
  batch: number;
  /** How often a runner without the lock tries again (take-over after the holder dies). */
  lockRetryMs: number;
  /** How long a failed projection waits before trying the failing event again. */
  failureRetryMs: number;
  /**
   * After a short batch, how long to let events gather before reading again: each batch pays a transaction
   * (checkpoint lock, row loads, upserts, commit), so under load a few milliseconds buy much larger batches.
   */
  lingerMs: number;
  state: ProjectionRunState;
  onApplied?: (count: number) => void;
};

type Follow = 'stopped' | 'moved' | 'failed';

const messageOf = (e: unknown) => {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? `${err.code}: ` : '';
  return `${code}${typeof err?.message === 'string' ? err.message : String(e)}`.slice(0, 2000);
};

/** Resolves after `ms`, or at once when the signal aborts (never rejects). */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Holds the projection's advisory lock on a dedicated connection and applies batches on that same
 * connection: if the connection dies, both the lock and any open batch go with it, so no other runner can
 * apply the projection at the same time.
 */
export const runProjection = async (o: RunProjectionOptions): Promise<void> => {
  const { projection, signal, log, state } = o;
  while (!signal.aborted) {
    let client: pg.PoolClient | null = null;
    let wait = o.lockRetryMs;
    try {
      client = await o.pool.connect();
      client.on('error', (e) => log.warn({ projection: projection.name, err: e.message }, 'projection connection failed'));
      if (await tryAdvisoryLock(client, projectionLockKey(projection.name))) {
        state.applying = true;
        log.info({ projection: projection.name }, 'projection started');
        await ensureTables(client, projection, { missingOnly: true });
        const outcome = await follow(o, client);
        if (outcome === 'moved') wait = 0;
        if (outcome === 'failed') wait = o.failureRetryMs;
      }
    } catch (e) {
      if (!signal.aborted) log.error({ projection: projection.name, err: messageOf(e) }, 'projection runner error; retrying');
    } finally {
      state.applying = false;
      // Destroyed, never returned to the pool: a pooled connection would keep the session lock.
      client?.release(true);
    }
    if (wait > 0) await sleep(wait, signal);
  }
};

const follow = async (o: RunProjectionOptions, client: pg.PoolClient): Promise<Follow> => {
  const { projection, state } = o;
  let expected = (await ensureCheckpoint(client, projection.name)).checkpoint;

  /** Applies events, halving a failing range until the one event that fails is found. */
  const applyRange = async (events: BulkEvent[]): Promise<Follow | null> => {
    try {
      if ((await applyEvents(client, projection, events, expected)) === 'moved') return 'moved';
      expected = events[events.length - 1].checkpoint;
      state.failed = null;
      o.onApplied?.(events.length);
      return null;
    } catch (e) {
      if (o.signal.aborted) return 'stopped';
      if (events.length > 1) {
        const half = Math.ceil(events.length / 2);
        return (await applyRange(events.slice(0, half))) ?? (await applyRange(events.slice(half)));
      }
      const message = messageOf(e);
      await recordFailure(client, projection.name, events[0].position, message);
      state.failed = { position: events[0].position, message };
      o.log.error({ projection: projection.name, position: events[0].position.toString(), err: message }, 'projection stopped at an event it cannot apply');
      return 'failed';
    }
  };

  // Projections need no metadata or hash: the bulk tail skips parsing them, where the store has one.
  const bulk = projection.reads === 'full' ? undefined : o.store.tailAllBulk?.bind(o.store);
  const tail = bulk ?? o.store.tailAll.bind(o.store);
  for await (const events of tail({ after: expected ?? undefined, batch: o.batch, signal: o.signal })) {
    const outcome = await applyRange(events);
    if (outcome) return outcome;
    if (events.length < o.batch && o.lingerMs > 0) await sleep(o.lingerMs, o.signal);
  }
  return 'stopped';
};
