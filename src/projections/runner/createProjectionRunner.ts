import type pg from 'pg';
import { pino } from 'pino';
import type { EventStore } from '../../eventstore/contract.js';
import type { ProjectionDefinition } from '../projection.js';
import type { ProjectionMetrics } from './projectionMetrics.js';
import { runProjection, type ProjectionRunState, type RunnerLog } from './runProjection.js';

export type ProjectionRunnerOptions = {
  pool: pg.Pool;
  store: EventStore;
  projections: ProjectionDefinition[];
  log?: RunnerLog;
  metrics?: ProjectionMetrics;
  batch?: number;
  lockRetryMs?: number;
  failureRetryMs?: number;
  lingerMs?: number;
};

export type ProjectionRunner = ReturnType<typeof createProjectionRunner>;

const defaultRunnerLog = (): RunnerLog => pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

/** Runs each named projection in its own loop with its own checkpoint; `stop` aborts and waits for them. */
export const createProjectionRunner = (o: ProjectionRunnerOptions) => {
  const abort = new AbortController();
  const log = o.log ?? defaultRunnerLog();
  const states = o.projections.map((p): ProjectionRunState => ({ name: p.name, applying: false, failed: null }));
  let loops: Promise<void>[] = [];
  return {
    start: () => {
      if (loops.length > 0) return;
      loops = o.projections.map((projection, i) =>
        runProjection({
          pool: o.pool,
          store: o.store,
          projection,
          signal: abort.signal,
          log,
          batch: o.batch ?? 1000,
          lockRetryMs: o.lockRetryMs ?? 3000,
          failureRetryMs: o.failureRetryMs ?? 30_000,
          lingerMs: o.lingerMs ?? 20,
          state: states[i],
          onApplied: (n) => o.metrics?.applied(projection.name, n),
        }),
      );
    },
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
    /** What this process does for each projection (the shared checkpoint table says where each one is). */
    states: (): readonly ProjectionRunState[] => states,
  };
};
