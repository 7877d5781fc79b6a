import type pg from 'pg';
import type { BulkEvent } from '../../eventstore/contract.js';
import type { ProjectionDefinition } from '../projection.js';
import { advanceCheckpoint, lockCheckpoint } from './checkpoints.js';

/** `moved`: the checkpoint is not where this runner left it (a rebuild was swapped in): re-read from the row. */
export type ApplyOutcome = 'applied' | 'moved';

const identity = (t: string) => t;

/**
 * One transaction: lock the checkpoint row, check it is where we expect, apply the events the projection
 * wants, move the checkpoint past all of them. A crash anywhere rolls all of it back.
 */
export const applyEvents = async (
  client: pg.PoolClient,
  projection: ProjectionDefinition,
  events: BulkEvent[],
  expected: string | null,
): Promise<ApplyOutcome> => {
  const last = events[events.length - 1];
  await client.query('BEGIN');
  try {
    if ((await lockCheckpoint(client, projection.name)) !== expected) {
      await client.query('ROLLBACK');
      return 'moved';
    }
    const wanted = projection.eventTypes ? new Set(projection.eventTypes) : null;
    const relevant = wanted ? events.filter((e) => wanted.has(e.type)) : events;
    if (relevant.length > 0) await projection.applyBatch(client, relevant, identity);
    await advanceCheckpoint(client, projection.name, { checkpoint: last.checkpoint, position: last.position, recordedAt: last.recordedAt });
    await client.query('COMMIT');
    return 'applied';
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
};
