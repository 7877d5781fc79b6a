import type pg from 'pg';
import type { BulkEvent, BulkTextEvent } from '../../eventstore/contract.js';
import type { BulkLoader } from '../projection.js';
import { copyStatusText } from './copyStatusRows.js';
import type { KeysFor } from './recipientStatusProjection.js';
import { groupByStream } from './recipientStatusProjection.js';
import type { FoldEvent } from './statusFolder.js';
import { startStatusFolders } from './statusFolders.js';
import type { StatusRow } from './statusRow.js';
import { loadStatusRows, upsertStatusJson } from './statusRowsSql.js';
import { writtenStreams } from './writtenStreams.js';

/** Which folder a stream belongs to: FNV-1a of its name, so one stream always goes to the same folder. */
const folderOf = (stream: string, count: number) => {
  if (count === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
};

const KEY_BYTES = 32;
/** Batches handed to the folders and not yet folded: the reading waits beyond this (memory stays bounded). */
const QUEUED_BATCHES = 2;

/**
 * Rebuild mode: streams' states stay in memory across batches (a stream's events are read in order, most
 * streams are short), and each row is written once, by COPY. This thread reads, looks keys and stored rows up and
 * writes; opening, folding, sealing and encoding rows happen in folders (`workers` threads, each holding the
 * streams that hash to it, or inline with none), so they run on another core while this one reads and writes.
 * When `limit` streams are held, the half least recently touched is encoded by their folders and written out, and
 * the COPY runs while the next batches are read and folded. Writes take turns over the connections given (lanes),
 * so PostgreSQL parses one COPY while it receives the next; a write holding a stream of a write still running waits
 * for it (the same key never goes in from two sessions at once, so they cannot deadlock). A stream seen again
 * before its write has finished stays in its folder; one seen after starts from its stored row and is written back
 * by upsert. A filter of the streams written so far spares the lookup for streams never written, which in a log
 * read from the start is nearly all of them.
 */
export const bulkStatusLoader = (
  keysFor: KeysFor,
  bixKey: Buffer,
  dbs: pg.ClientBase[],
  table: string,
  limit: number,
  workers = 0,
): BulkLoader => {
  const folders = startStatusFolders(bixKey, workers);
  // Map order is the order of last touch (a touched stream is moved to the end); the value is the stream's folder.
  const held = new Map<string, number>();
  // Streams whose state a folder still has: the held ones, and those written out whose drop was not sent yet.
  const inFolder = new Map<string, number>();
  const drops: string[][] = Array.from({ length: folders.count }, () => []);
  const written = writtenStreams();
  const lanes = dbs.map((db) => ({ db, tail: Promise.resolve() }));
  let turn = 0;
  const db = dbs[0];
  // The last write of each stream not finished yet.
  const storing = new Map<string, Promise<void>>();
  const folding: Promise<void>[] = [];

  const write = (streams: string[]) => {
    const lane = lanes[turn++ % lanes.length];
    const before = new Set([lane.tail]);
    const per: string[][] = Array.from({ length: folders.count }, () => []);
    for (const s of streams) {
      per[held.get(s)!].push(s);
      held.delete(s);
      const earlier = storing.get(s);
      if (earlier) before.add(earlier);
    }
    // Asked now: a folder answers in order, so the rows are the states as they are at this point.
    const replies = per.map((list, f) => (list.length > 0 ? folders.encode(f, list) : null));
    const done = (async () => {
      const parts = (await Promise.all(replies)).filter((r) => r !== null);
      for (const r of parts) for (const s of r.written) written.add(s);
      await Promise.all(before);
      await copyStatusText(lane.db, table, parts.map((r) => r.copy));
      for (const r of parts) if (r.upsert) await upsertStatusJson(lane.db, table, r.upsert);
    })();
    // Surfaced by the next add or by finish; not an unhandled rejection meanwhile.
    done.catch(() => {});
    const settled = done.then(() => {
      for (const s of streams) {
        if (storing.get(s) !== done) continue; // a later write of it is still to finish
        storing.delete(s);
        if (held.has(s)) continue; // taken back meanwhile: its folder keeps it
        const f = inFolder.get(s)!;
        inFolder.delete(s);
        drops[f].push(s);
      }
    });
    settled.catch(() => {});
    for (const s of streams) storing.set(s, done);
    lane.tail = done;
  };

  const add = async (events: (BulkEvent | BulkTextEvent)[]) => {
    const byStream = groupByStream(events);
    const unseen: string[] = [];
    for (const s of byStream.keys()) {
      const f = inFolder.get(s);
      if (f === undefined) unseen.push(s);
      else {
        held.delete(s);
        held.set(s, f);
      }
    }
    const fresh: string[][] = Array.from({ length: folders.count }, () => []);
    const freshKeys: (Buffer | null)[][] = Array.from({ length: folders.count }, () => []);
    const seeds: [StatusRow, Uint8Array | null][][] = Array.from({ length: folders.count }, () => []);
    if (unseen.length > 0) {
      const stored = unseen.filter((s) => written.mightHave(s));
      const keys = await keysFor(unseen);
      const rows = stored.length > 0 ? await loadStatusRows(db, table, stored, keys) : new Map<string, StatusRow>();
      for (const s of unseen) {
        const f = folderOf(s, folders.count);
        const key = keys.get(s) ?? null;
        const row = rows.get(s);
        if (row) seeds[f].push([row, key ? new Uint8Array(key) : null]);
        else {
          fresh[f].push(s);
          freshKeys[f].push(key);
        }
        held.set(s, f);
        inFolder.set(s, f);
      }
    }
    const folded: FoldEvent[][] = Array.from({ length: folders.count }, () => []);
    for (const [stream, list] of byStream) {
      const out = folded[inFolder.get(stream)!];
      for (const e of list) out.push({ stream, version: e.version, position: e.position, type: e.type, data: e.data });
    }
    const folds: Promise<void>[] = [];
    for (let f = 0; f < folders.count; f++) {
      const keys = new Uint8Array(fresh[f].length * KEY_BYTES);
      const erased: number[] = [];
      freshKeys[f].forEach((k, i) => {
        if (!k) erased.push(i);
        else if (k.length !== KEY_BYTES) throw new Error(`data key of ${fresh[f][i]} is not ${KEY_BYTES} bytes`);
        else keys.set(k, i * KEY_BYTES);
      });
      folds.push(folders.fold(f, { kind: 'fold', drop: drops[f], fresh: fresh[f], keys, erased, seeds: seeds[f], events: folded[f] }));
      drops[f] = [];
    }
    const batch = Promise.all(folds).then(() => {});
    batch.catch(() => {}); // surfaced when awaited below or by finish
    folding.push(batch);
    if (folding.length > QUEUED_BATCHES) await folding.shift();
    if (held.size >= limit) {
      await lanes[turn % lanes.length].tail; // at most one write per lane behind the reading; its error surfaces here
      const oldest: string[] = [];
      for (const s of held.keys()) {
        if (oldest.length >= held.size / 2) break;
        oldest.push(s);
      }
      write(oldest);
    }
  };

  const finish = async () => {
    try {
      // The last rows split over the lanes: nothing else is left to overlap them with.
      const rest = [...held.keys()];
      const share = Math.ceil(rest.length / lanes.length);
      for (let k = 0; k < lanes.length; k++) write(rest.slice(k * share, (k + 1) * share));
      await Promise.all(folding);
      await Promise.all(lanes.map((l) => l.tail));
    } finally {
      await folders.close();
    }
  };

  return { add, addText: add, finish, close: folders.close };
};
