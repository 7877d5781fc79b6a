import type { CountDelta } from '../../projections/statistics/countKey.js';

/** One store event's effect on the counts (empty for events that count nothing), with its place in the log. */
export type LiveEvent = { checkpoint: string; position: bigint; deltas: CountDelta[] };

/**
 * What the hub emits per interval: the events after `prev` up to and including `last`, their merged deltas,
 * and the SSE frame of those (null when they cancel out), serialised and encoded once for every caught-up client.
 */
export type LiveChunk = { prev: string | undefined; last: string; events: LiveEvent[]; frame: Buffer | null };
