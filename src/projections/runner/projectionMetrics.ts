import { Counter, Gauge, type Registry } from 'prom-client';
import type { OpenWrite } from '../../eventstore/contract.js';
import type { ProjectionLag } from './projectionLag.js';

export type ProjectionMetrics = {
  applied: (projection: string, count: number) => void;
  rebuildProgress: (projection: string, fraction: number) => void;
};

const existing = <T>(registry: Registry, name: string) => registry.getSingleMetric(name) as T | undefined;

/**
 * Per-projection lag gauges (read at scrape time), applied-events counter and rebuild progress on `registry`, and
 * (when the store can tell) the age of the oldest open write transaction, which holds every reader back.
 */
export const projectionMetrics = (
  registry: Registry,
  lag: () => Promise<ProjectionLag[]>,
  openWrites?: () => Promise<OpenWrite[]>,
): ProjectionMetrics => {
  if (openWrites) {
    // Another role's start time is hidden without pg_read_all_stats: its age then counts from the first scrape
    // that saw its transaction id (a lower bound, as close as the scrape interval).
    let firstSeen = new Map<string, number>();
    existing<Gauge>(registry, 'vrs_log_oldest_open_write_seconds') ??
      new Gauge({
        name: 'vrs_log_oldest_open_write_seconds',
        help: 'Age of the oldest open write transaction in the cluster (0 when none): readers see no commit younger than it',
        registers: [registry],
        async collect() {
          const open = await openWrites();
          const now = Date.now();
          firstSeen = new Map(open.map((w) => [w.xid, firstSeen.get(w.xid) ?? now]));
          this.set(Math.max(0, ...open.map((w) => w.seconds ?? (now - firstSeen.get(w.xid)!) / 1000)));
        },
      });
  }
  existing<Gauge>(registry, 'vrs_projection_positions_behind') ??
    new Gauge({
      name: 'vrs_projection_positions_behind',
      help: 'Global positions between the store head and the projection checkpoint',
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const l of await lag()) this.set({ projection: l.name }, Number(l.positionsBehind));
      },
    });
  existing<Gauge>(registry, 'vrs_projection_seconds_behind') ??
    new Gauge({
      name: 'vrs_projection_seconds_behind',
      help: 'Seconds between the newest event and the last event the projection applied',
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const l of await lag()) if (l.secondsBehind !== null) this.set({ projection: l.name }, l.secondsBehind);
      },
    });
  existing<Gauge>(registry, 'vrs_projection_failed') ??
    new Gauge({
      name: 'vrs_projection_failed',
      help: '1 when the projection is stopped at an event it cannot apply',
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const l of await lag()) this.set({ projection: l.name }, l.error ? 1 : 0);
      },
    });
  const applied =
    existing<Counter>(registry, 'vrs_projection_events_applied_total') ??
    new Counter({ name: 'vrs_projection_events_applied_total', help: 'Events this process applied', labelNames: ['projection'], registers: [registry] });
  const rebuild =
    existing<Gauge>(registry, 'vrs_projection_rebuild_progress') ??
    new Gauge({ name: 'vrs_projection_rebuild_progress', help: 'Fraction of the log a running rebuild has read (1 when done)', labelNames: ['projection'], registers: [registry] });
  return {
    applied: (projection, count) => applied.inc({ projection }, count),
    rebuildProgress: (projection, fraction) => rebuild.set({ projection }, fraction),
  };
};
