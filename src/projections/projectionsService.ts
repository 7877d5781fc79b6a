import type { AppContext } from '../runtime/appContext.js';
import { serviceKey } from '../runtime/services.js';
import { projectionGrants, projectionMigrations } from './migrations.js';
import { tableGrants, type ProjectionDefinition } from './projection.js';
import { projectionsOf } from './projectionsOf.js';
import { LEDGER_LOG } from '../proofs/ledgerLogProjection.js';
import { rebuildProjection, type RebuildProgress, type RebuildResult } from './rebuild/rebuildProjection.js';
import { RebuildInProgressError, UnknownProjectionError } from './rebuild/rebuildErrors.js';
import { makeProjectionTables } from './runner/ensureTables.js';
import { cachedLag } from './runner/projectionLag.js';
import { projectionMetrics } from './runner/projectionMetrics.js';
import { projectionReadiness } from './runner/projectionReadiness.js';
import { createProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions } from './runner/createProjectionRunner.js';

const projectionsKey = serviceKey<ProjectionsService>('projections');

export type ProjectionsService = ReturnType<typeof createService>;

const createService = (ctx: AppContext) => {
  // VRS_TRANSPARENCY_LOG=off leaves the ledger's Merkle log out (bench/proofs.ts measures what it costs).
  const projections = projectionsOf(ctx).filter((p) => ctx.config.VRS_TRANSPARENCY_LOG === 'on' || p.name !== LEDGER_LOG);
  const lag = cachedLag(ctx.pool, ctx.store);
  const metrics = projectionMetrics(ctx.metrics, lag, ctx.store.openWrites?.bind(ctx.store));
  const rebuilds = new Map<string, RebuildProgress>();
  let runner: ProjectionRunner | null = null;
  let readyOnce: Promise<void> | null = null;
  const abort = new AbortController();
  const inflight = new Set<Promise<unknown>>();
  let stopperAdded = false;

  const byName = (name: string): ProjectionDefinition => {
    const p = projections.find((x) => x.name === name);
    if (!p) throw new UnknownProjectionError(name, projections.map((x) => x.name));
    return p;
  };

  /** Checkpoint table and live tables exist (readers may query before the runner's first batch). */
  const ready = () =>
    (readyOnce ??= (async () => {
      await ctx.schema.migrate('projections', projectionMigrations, projectionGrants);
      // Read-model tables are made by the owner and granted to the server's role in the same transaction.
      await makeProjectionTables(ctx.schema, projections);
    })().catch((e) => {
      readyOnce = null;
      throw e;
    }));

  /** Runs one rebuild; a process shutdown aborts it (the shadow is dropped, the live table untouched). */
  const rebuild = (name: string, onProgress?: (p: RebuildProgress) => void): Promise<RebuildResult> => {
    if (!stopperAdded) {
      stopperAdded = true;
      ctx.services.onStop(async () => {
        abort.abort();
        await Promise.allSettled([...inflight]);
      });
    }
    const run = rebuildOnce(name, onProgress);
    inflight.add(run);
    void run.catch(() => {}).finally(() => inflight.delete(run));
    return run;
  };

  const rebuildOnce = async (name: string, onProgress?: (p: RebuildProgress) => void): Promise<RebuildResult> => {
    const projection = byName(name);
    if (rebuilds.has(name)) throw new RebuildInProgressError(name);
    await ready();
    rebuilds.set(name, { phase: 'settle', events: 0, position: 0n, headPosition: 0n });
    metrics.rebuildProgress(name, 0);
    try {
      return await rebuildProjection({
        // Shadow tables and the swap are DDL: the owner's pool; the swapped-in tables get their grants on swap.
        pool: ctx.schema.owner,
        grant: (tx, tables) => ctx.schema.grant(tx, tableGrants(tables)),
        store: ctx.store,
        projection,
        signal: abort.signal,
        onProgress: (p) => {
          rebuilds.set(name, p);
          metrics.rebuildProgress(name, p.phase === 'done' ? 1 : p.headPosition > 0n ? Math.min(1, Number(p.position) / Number(p.headPosition)) : 0);
          onProgress?.(p);
        },
      });
    } finally {
      rebuilds.delete(name);
    }
  };

  return {
    projections,
    byName,
    ready,
    lag,
    metrics,
    rebuilds,
    rebuild,
    /** Starts applying every projection in this process (idempotent); stopped with the other services. */
    start: async (options: Partial<Omit<ProjectionRunnerOptions, 'pool' | 'store' | 'projections' | 'metrics'>> = {}) => {
      if (runner) return runner;
      await ready();
      runner = createProjectionRunner({ pool: ctx.pool, store: ctx.store, projections, metrics, ...options });
      const r = runner;
      ctx.readiness.push(projectionReadiness(lag, () => r.states(), rebuilds));
      ctx.services.onStop(r.stop);
      r.start();
      return r;
    },
    runner: () => runner,
  };
};

/** The process's one projections service, made on first use. */
export const projectionsService = (ctx: AppContext): ProjectionsService => ctx.services.of(projectionsKey, () => createService(ctx));
