import type pg from 'pg';
import { callAppend, type AppendCall, type Row } from './appendCall.js';

type Pending = { call: AppendCall; streams: Set<string>; resolve: (rows: Row[]) => void; reject: (e: unknown) => void };

/** At most this many group INSERTs at once: enough to keep the server busy while one commits, few enough to group. */
const IN_FLIGHT = 2;
/** A group stops growing at this many events (one big caller, e.g. an import batch, still goes alone). */
const GROUP_EVENTS = 2000;

const concat = (calls: AppendCall[]): AppendCall => {
  if (calls.length === 1) return calls[0];
  const out = {} as Record<keyof AppendCall, unknown[]>;
  for (const key of Object.keys(calls[0]) as (keyof AppendCall)[]) out[key] = calls.flatMap((c) => c[key] as unknown[]);
  return out as AppendCall;
};

/**
 * Group commit for concurrent appends: while IN_FLIGHT INSERTs are running, the appends that arrive queue and go
 * together as one INSERT and one commit (one socket write, one WAL flush, one server wake-up) instead of one each.
 * An idle store sends an append at once, so a lone writer waits for nothing. Each caller's append stays atomic;
 * callers grouped together commit together. When the group's statement fails (one caller's head moved, a retried
 * command id, content PostgreSQL refuses), the group is halved and each half tried again, down to the failing
 * caller alone: each gets its own answer and nobody's write depends on another's.
 */
export const createGroupInsert = (db: pg.Pool) => {
  let queue: Pending[] = [];
  let inFlight = 0;

  const run = async (group: Pending[]): Promise<void> => {
    let rows: Row[];
    try {
      rows = await callAppend(db, concat(group.map((p) => p.call)));
    } catch (e) {
      if (group.length === 1) return group[0].reject(e);
      // Someone in the group cannot go: halve until the failing callers stand alone (log n extra statements).
      const half = Math.ceil(group.length / 2);
      await Promise.all([run(group.slice(0, half)), run(group.slice(half))]);
      return;
    }
    const byStream = new Map(rows.map((r) => [r.stream, r]));
    for (const p of group) p.resolve([...p.streams].map((s) => byStream.get(s)!));
  };

  /** The next group: queued callers in arrival order, never two touching the same stream, up to GROUP_EVENTS. */
  const takeGroup = () => {
    const group: Pending[] = [];
    const rest: Pending[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (const p of queue) {
      const fits = group.length === 0 || (events + p.call.streams.length <= GROUP_EVENTS && [...p.streams].every((s) => !streams.has(s)));
      if (!fits) {
        rest.push(p);
        continue;
      }
      group.push(p);
      events += p.call.streams.length;
      for (const s of p.streams) streams.add(s);
    }
    queue = rest;
    return group;
  };

  const pump = () => {
    while (queue.length > 0 && inFlight < IN_FLIGHT) {
      const group = takeGroup();
      inFlight++;
      void run(group).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (call: AppendCall): Promise<Row[]> =>
    new Promise((resolve, reject) => {
      queue.push({ call, streams: new Set(call.streams), resolve, reject });
      pump();
    });
};
