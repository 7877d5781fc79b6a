import type pg from 'pg';
import type { EventStore } from '../../eventstore/contract.js';
import { readCheckpoints } from './checkpoints.js';

export type ProjectionLag = {
  name: string;
  position: bigint;
  positionsBehind: bigint;
  /**
   * How long the oldest event not yet applied has waited (now − its store time); 0 when caught up. Not the time
   * between the last applied event and the newest: after an idle hour one new event would read as an hour behind.
   */
  secondsBehind: number | null;
  error: string | null;
  errorPosition: bigint | null;
};

const firstAfter = async (store: EventStore, checkpoint: string | null) => {
  for await (const e of store.readAll({ ...(checkpoint ? { after: checkpoint } : {}), batch: 1 })) return e;
  return null;
};

/**
 * Lag of every projection, read from the shared checkpoint table (so any process reports the same, whichever
 * one applies), against the store's head.
 */
export const projectionLag = async (pool: pg.Pool, store: EventStore): Promise<ProjectionLag[]> => {
  const [rows, head] = await Promise.all([readCheckpoints(pool), store.head()]);
  return Promise.all(
    rows.map(async (r) => {
      const behind = head && head.position > r.position ? head.position - r.position : 0n;
      // A reader sees only committed events below the oldest running transaction: the head stands in until it does.
      const waiting = behind === 0n ? null : ((await firstAfter(store, r.checkpoint)) ?? head);
      const seconds = waiting ? Math.max(0, (Date.now() - waiting.recordedAt.getTime()) / 1000) : 0;
      return { name: r.name, position: r.position, positionsBehind: behind, secondsBehind: seconds, error: r.error, errorPosition: r.errorPosition };
    }),
  );
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
