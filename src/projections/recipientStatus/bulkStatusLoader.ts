import type pg from 'pg';
import { foldStream, initialState, recipientDecider, type RecipientState, type RegisteredRecipient } from '../../domain/index.js';
import type { BulkEvent } from '../../eventstore/contract.js';
import { openEvent } from '../../personal/openEvent.js';
import type { BulkLoader } from '../projection.js';
import { copyStatusRows } from './copyStatusRows.js';
import type { KeysFor } from './recipientStatusProjection.js';
import { groupByStream } from './recipientStatusProjection.js';
import { rowToState, stateToRow, type StatusRow } from './statusRow.js';
import { sealRow, type StoredRow } from './storedRow.js';
import { loadStatusRows, upsertStatusRows } from './statusRowsSql.js';
import { writtenStreams } from './writtenStreams.js';

/** A stream's fold so far; `storedVersion` is the version of its row in the table (0n: no row yet). */
type Held = { key: Buffer | null; state: RecipientState; version: bigint; position: bigint; storedVersion: bigint };

/**
 * Rebuild mode: streams' states stay in memory across batches (a stream's events are read in order, most
 * streams are short), and each row is written once, by COPY. When `limit` streams are held, the half least
 * recently touched is written out, and the COPY runs while the next batches are read and folded. Writes take
 * turns over the connections given (lanes), so PostgreSQL parses one COPY while it receives the next; a write
 * holding a stream of a write still running waits for it (the same key never goes in from two sessions at once,
 * so they cannot deadlock). A stream seen again after it was written starts from its stored row and is written
 * back by upsert; a filter of the streams written so far spares the lookup for streams never written, which in a
 * log read from the start is nearly all of them.
 */
export const bulkStatusLoader = (keysFor: KeysFor, bixKey: Buffer, dbs: pg.ClientBase[], table: string, limit: number): BulkLoader => {
  // Map order is the order of last touch (a touched stream is moved to the end).
  const held = new Map<string, Held>();
  const written = writtenStreams();
  const lanes = dbs.map((db) => ({ db, tail: Promise.resolve() }));
  let turn = 0;
  const db = dbs[0];
  // Streams of writes not finished yet, as they will be stored (a read of the table could still miss them), and
  // the write that stores each.
  const unfinished = new Map<string, Held>();
  const storing = new Map<string, Promise<void>>();

  const write = (entries: [string, Held][]) => {
    const lane = lanes[turn++ % lanes.length];
    const fresh: StoredRow[] = [];
    const stored: StoredRow[] = [];
    const mine: [string, Held][] = [];
    const before = new Set([lane.tail]);
    for (const [stream, h] of entries) {
      held.delete(stream);
      const writes = h.state.kind === 'registered' && h.version !== h.storedVersion;
      if (writes) {
        (h.storedVersion === 0n ? fresh : stored).push(sealRow(stateToRow(stream, h.state as RegisteredRecipient, h.version, h.position), h.key, bixKey));
        written.add(stream);
      }
      const earlier = storing.get(stream);
      if (earlier) before.add(earlier);
      const after = { ...h, storedVersion: writes ? h.version : h.storedVersion };
      unfinished.set(stream, after);
      mine.push([stream, after]);
    }
    const done = (async () => {
      await Promise.all(before);
      await copyStatusRows(lane.db, table, fresh);
      await upsertStatusRows(lane.db, table, stored);
    })();
    // Surfaced by the next add or by finish; not an unhandled rejection meanwhile.
    done.catch(() => {});
    const settled = done.then(() => {
      for (const [s, after] of mine) {
        if (unfinished.get(s) === after) unfinished.delete(s);
        if (storing.get(s) === done) storing.delete(s);
      }
    });
    settled.catch(() => {});
    for (const [s] of mine) storing.set(s, done);
    lane.tail = done;
  };

  const add = async (events: BulkEvent[]) => {
    const byStream = groupByStream(events);
    for (const s of byStream.keys()) {
      const h = unfinished.get(s);
      // Taken back as it is being written (a later write of it waits for that one: see `storing`).
      if (h && !held.has(s)) held.set(s, { ...h });
    }
    const unseen = [...byStream.keys()].filter((s) => !held.has(s));
    if (unseen.length > 0) {
      const stored = unseen.filter((s) => written.mightHave(s));
      const keys = await keysFor(unseen);
      const rows = stored.length > 0 ? await loadStatusRows(db, table, stored, keys) : new Map<string, StatusRow>();
      for (const s of unseen) {
        const row = rows.get(s);
        const version = row?.version ?? 0n;
        held.set(s, { key: keys.get(s) ?? null, state: row ? rowToState(row) : initialState(), version, position: row?.position ?? 0n, storedVersion: version });
      }
    }
    for (const [stream, list] of byStream) {
      const h = held.get(stream)!;
      held.delete(stream);
      held.set(stream, h);
      Object.assign(h, foldStream(recipientDecider, list.map((e) => openEvent(h.key, e)), h));
    }
    if (held.size >= limit) {
      await lanes[turn % lanes.length].tail; // at most one write per lane behind the reading; its error surfaces here
      const oldest: [string, Held][] = [];
      for (const entry of held) {
        if (oldest.length >= held.size / 2) break;
        oldest.push(entry);
      }
      write(oldest);
    }
  };

  const finish = async () => {
    // The last rows split over the lanes: nothing else is left to overlap them with.
    const rest = [...held];
    const share = Math.ceil(rest.length / lanes.length);
    for (let k = 0; k < lanes.length; k++) write(rest.slice(k * share, (k + 1) * share));
    await Promise.all(lanes.map((l) => l.tail));
  };

  return { add, finish };
};
