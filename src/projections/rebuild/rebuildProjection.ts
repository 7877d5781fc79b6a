import { availableParallelism } from 'node:os';
import type pg from 'pg';
import type { BulkEvent, BulkTextEvent, EventStore, RecordedEvent } from '../../eventstore/contract.js';
import type { BulkLoader, ProjectionDefinition, ProjectionTable } from '../projection.js';
import { rebuildLockKey, tryAdvisoryLock } from '../runner/advisoryLock.js';
import { ensureCheckpoint, lockCheckpoint } from '../runner/checkpoints.js';
import { chunked } from './chunked.js';
import { RebuildInProgressError } from './rebuildErrors.js';
import { createShadows, dropShadows, indexShadows, shadowName, swapTables } from './swapTables.js';

export type RebuildProgress = {
  phase: 'settle' | 'load' | 'index' | 'catch-up' | 'swap' | 'done';
  events: number;
  /** Position reached and the head's position when the rebuild started (for a progress fraction). */
  position: bigint;
  headPosition: bigint;
};

export type RebuildOptions = {
  pool: pg.Pool;
  store: EventStore;
  projection: ProjectionDefinition;
  batch?: number;
  /** Bulk load: at most about this many entities (streams) held in memory before they are written out. */
  memoryLimit?: number;
  /**
   * Bulk load: worker threads for the projection's CPU work (0: all in this thread). Default: none for a ledger
   * under BULK_WORKERS_FROM events (starting a thread costs more than it saves there), else one per core beyond
   * two (one for this thread's reading and writing, one for PostgreSQL): on 2 cores a worker thread was measured
   * to cost more CPU than it saved (bench/rebuild.ts runs both).
   */
  workers?: number;
  onProgress?: (p: RebuildProgress) => void;
  signal?: AbortSignal;
  /** Grants the server's role its privileges on the swapped-in tables, inside the swapping transaction. */
  grant?: (tx: pg.ClientBase, tables: ProjectionTable[]) => Promise<void>;
};

/** Below this many events a rebuild's bulk load folds in its own thread by default. */
export const BULK_WORKERS_FROM = 50_000;

const defaultWorkers = (headPosition: bigint) => (headPosition < BigInt(BULK_WORKERS_FROM) ? 0 : Math.max(0, availableParallelism() - 2));

/** Where the rebuild has read to. */
type Reached = Pick<RecordedEvent, 'checkpoint' | 'position' | 'recordedAt'>;

export type RebuildResult = { projection: string; events: number; position: bigint; checkpoint: string | null; seconds: number };

/**
 * Rebuilds from position 0 into shadow tables at bulk speed (big batches, indexes after the load), catches up,
 * then, in one transaction holding the checkpoint row, applies the last events, swaps the tables in and moves
 * the checkpoint. The live runner serialises on that row, so readers see the old table until the commit and
 * the runner carries on from the rebuilt checkpoint.
 */
export const rebuildProjection = async (o: RebuildOptions): Promise<RebuildResult> => {
  const started = Date.now();
  const { projection } = o;
  const batch = o.batch ?? 10_000;
  const wanted = projection.eventTypes ? new Set(projection.eventTypes) : null;
  const shadow = new Map(projection.tables.map((t) => [t.name, shadowName(t.name)]));
  const toShadow = (name: string) => shadow.get(name) ?? name;
  const client = await o.pool.connect();
  let events = 0;
  let last: Reached | null = null;
  // Everything committed before the rebuild began is in the table it swaps in, even if no runner follows it. A
  // transaction left open in the cluster holds this phase (and every reader) until it ends.
  o.onProgress?.({ phase: 'settle', events: 0, position: 0n, headPosition: 0n });
  await o.store.settled({ signal: o.signal });
  const head = await o.store.head();
  const headPosition = head?.position ?? 0n;
  const report = (phase: RebuildProgress['phase']) =>
    o.onProgress?.({ phase, events, position: last?.position ?? 0n, headPosition });

  const apply = async (list: RecordedEvent[]) => {
    const relevant = wanted ? list.filter((e) => wanted.has(e.type)) : list;
    if (relevant.length > 0) await projection.applyBatch(client, relevant, toShadow);
    events += list.length;
    last = list[list.length - 1];
  };
  /** From position 0 into the empty shadow: the projection's bulk path when it has one, no per-batch transaction. */
  const bulkLoad = async () => {
    if (!projection.bulk) return load('load', batch);
    // A second session, so one COPY can be parsed by the server while the next is sent. Destroyed after: it
    // carries the session setting below.
    const spare = await o.pool.connect();
    try {
      await spare.query('SET synchronous_commit = off');
      const loader = projection.bulk([client, spare], toShadow, { limit: o.memoryLimit ?? 20_000, workers: o.workers ?? defaultWorkers(headPosition) });
      try {
        await bulkInto(loader);
      } finally {
        await loader.close?.();
      }
    } finally {
      spare.release(true);
    }
  };
  const bulkInto = async (loader: BulkLoader) => {
    const each = async <E extends BulkEvent | BulkTextEvent>(batches: AsyncIterable<E[]>, add: (list: E[]) => Promise<void>) => {
      for await (const list of batches) {
        if (o.signal?.aborted) throw new Error('rebuild aborted');
        const relevant = wanted ? list.filter((e) => wanted.has(e.type)) : list;
        if (relevant.length > 0) await add(relevant);
        events += list.length;
        last = list[list.length - 1];
        report('load');
      }
    };
    // The store's bulk read when it has one: only what a fold uses, the next batch read while this one is folded;
    // the data left as text when the loader parses it in another thread.
    if (loader.addText && o.store.readAllBulkText) await each(o.store.readAllBulkText({ batch }), loader.addText);
    else await each(o.store.readAllBulk ? o.store.readAllBulk({ batch }) : chunked(o.store.readAll({ batch }), batch), loader.add);
    await loader.finish();
  };
  const load = async (phase: RebuildProgress['phase'], size: number) => {
    for await (const list of chunked(o.store.readAll({ after: last?.checkpoint, batch: size }), size)) {
      if (o.signal?.aborted) throw new Error('rebuild aborted');
      await client.query('BEGIN');
      await apply(list);
      await client.query('COMMIT');
      report(phase);
    }
  };

  let locked = false;
  try {
    locked = await tryAdvisoryLock(client, rebuildLockKey(projection.name));
    if (!locked) throw new RebuildInProgressError(projection.name);
    // A crash only loses the shadow, which the next rebuild recreates: no need to wait for each commit's flush.
    await client.query('SET synchronous_commit = off');
    await ensureCheckpoint(client, projection.name);
    await createShadows(client, projection.tables);
    report('load');
    await bulkLoad();
    report('index');
    await indexShadows(client, projection.tables);
    await load('catch-up', 1000);

    report('swap');
    await client.query('BEGIN');
    await lockCheckpoint(client, projection.name);
    for await (const list of chunked(o.store.readAll({ after: (last as Reached | null)?.checkpoint, batch: 1000 }), 1000)) await apply(list);
    await swapTables(client, projection.tables);
    await o.grant?.(client, projection.tables);
    const end = last as Reached | null;
    await client.query(
      `UPDATE projection_checkpoints SET checkpoint = $2, position = $3, recorded_at = $4, updated_at = now(),
         error = NULL, error_position = NULL, error_at = NULL WHERE name = $1`,
      [projection.name, end?.checkpoint ?? null, (end?.position ?? 0n).toString(), end?.recordedAt ?? null],
    );
    await client.query('COMMIT');
    report('done');
    return {
      projection: projection.name,
      events,
      position: end?.position ?? 0n,
      checkpoint: end?.checkpoint ?? null,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    if (locked) await dropShadows(client, projection.tables).catch(() => {});
    throw e;
  } finally {
    // Destroyed, not pooled: the session holds the rebuild lock.
    client.release(true);
  }
};
