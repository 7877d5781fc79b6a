import type pg from 'pg';
import { EVENT_COLUMNS, type EventRow } from './rowToEvent.js';

/** As groupInsert: a second statement may run while one is out, the rest wait and go together. */
const IN_FLIGHT = 2;
const GROUP_STREAMS = 500;

const PREFIXED = EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ');

/**
 * The first `page` events of streams asked for concurrently, in one statement: fifty requests loading fifty
 * recipients cost a couple of queries (each a socket write and a server wake-up), not fifty. A read queued
 * behind a running statement starts after it was asked for, so it is as current as a read of its own.
 */
export const createGroupRead = (db: pg.Pool, page: number) => {
  let waiting = new Map<string, { resolve: (rows: EventRow[]) => void; reject: (e: unknown) => void }[]>();
  let inFlight = 0;

  const run = async (group: typeof waiting) => {
    try {
      const { rows } = await db.query<EventRow>({
        name: 'vrs-read-streams',
        text: `SELECT ${PREFIXED} FROM unnest($1::text[]) AS s(stream)
          CROSS JOIN LATERAL (SELECT * FROM events WHERE stream = s.stream ORDER BY version LIMIT $2) e`,
        values: [[...group.keys()], page],
      });
      const byStream = new Map<string, EventRow[]>();
      for (const r of rows) {
        const list = byStream.get(r.stream);
        if (list) list.push(r);
        else byStream.set(r.stream, [r]);
      }
      for (const [stream, callers] of group) {
        const list = byStream.get(stream) ?? [];
        // A nested loop yields each stream's rows in version order; nothing in SQL promises it, so check.
        if (list.some((r, i) => i > 0 && BigInt(r.version) < BigInt(list[i - 1].version))) list.sort((a, b) => (BigInt(a.version) < BigInt(b.version) ? -1 : 1));
        for (const c of callers) c.resolve(list);
      }
    } catch (e) {
      for (const callers of group.values()) for (const c of callers) c.reject(e);
    }
  };

  const pump = () => {
    while (waiting.size > 0 && inFlight < IN_FLIGHT) {
      let group = waiting;
      if (waiting.size > GROUP_STREAMS) {
        const entries = [...waiting];
        group = new Map(entries.slice(0, GROUP_STREAMS));
        waiting = new Map(entries.slice(GROUP_STREAMS));
      } else waiting = new Map();
      inFlight++;
      void run(group).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (stream: string): Promise<EventRow[]> =>
    new Promise((resolve, reject) => {
      const callers = waiting.get(stream);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(stream, [{ resolve, reject }]);
      pump();
    });
};
