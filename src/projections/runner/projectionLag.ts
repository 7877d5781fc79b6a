import type pg from 'pg';
import type { EventStore } from '../../eventstore/contract.js';
import { readCheckpoints } from './checkpoints.js';

export type ProjectionLag = {
  name: string;
  position: bigint;
  positionsBehind: bigint;
  /** Store time between the newest event and the last one applied; null before anything was applied. */
  secondsBehind: number | null;
  error: string | null;
  errorPosition: bigint | null;
};

/**
 * Lag of every projection, read from the shared checkpoint table (so any process reports the same, whichever
 * one applies), against the store's head.
 */
export const projectionLag = async (pool: pg.Pool, store: EventStore): Promise<ProjectionLag[]> => {
  const [rows, head] = await Promise.all([readCheckpoints(pool), store.head()]);
  return rows.map((r) => {
    const behind = head && head.position > r.position ? head.position - r.position : 0n;
    const seconds =
      behind === 0n ? 0 : r.recordedAt && head ? Math.max(0, (head.recordedAt.getTime() - r.recordedAt.getTime()) / 1000) : null;
    return { name: r.name, position: r.position, positionsBehind: behind, secondsBehind: seconds, error: r.error, errorPosition: r.errorPosition };
  });
};

/** The same, cached briefly: one scrape asks for several gauges. */
export const cachedLag = (pool: pg.Pool, store: EventStore, ttlMs = 500) => {
  let cached: { at: number; value: Promise<ProjectionLag[]> } | null = null;
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      cached = { at: Date.now(), value: projectionLag(pool, store) };
      cached.value.catch(() => (cached = null));
    }
    return cached.value;
  };
};
