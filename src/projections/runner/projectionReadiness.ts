import type { ReadinessCheck } from '../../runtime/appContext.js';
import type { ProjectionLag } from './projectionLag.js';
import type { ProjectionRunState } from './runProjection.js';
import type { RebuildProgress } from '../rebuild/rebuildProjection.js';

/**
 * `/readyz`: not ready while a projection is stopped at an event it cannot apply (its position and error are
 * shown); lag, whether this process applies it, and any running rebuild are shown either way.
 */
export const projectionReadiness =
  (lag: () => Promise<ProjectionLag[]>, states: () => readonly ProjectionRunState[], rebuilds: Map<string, RebuildProgress>): ReadinessCheck =>
  async () => {
    const rows = await lag();
    const mine = new Map(states().map((s) => [s.name, s]));
    return {
      name: 'projections',
      ok: rows.every((r) => !r.error),
      detail: rows.map((r) => {
        const rebuild = rebuilds.get(r.name);
        return {
          name: r.name,
          position: Number(r.position),
          positionsBehind: Number(r.positionsBehind),
          secondsBehind: r.secondsBehind,
          appliedHere: mine.get(r.name)?.applying ?? false,
          ...(r.error ? { error: r.error, errorPosition: Number(r.errorPosition) } : {}),
          ...(rebuild ? { rebuild: { phase: rebuild.phase, events: rebuild.events, position: Number(rebuild.position), headPosition: Number(rebuild.headPosition) } } : {}),
        };
      }),
    };
  };
