import { foldStream, initialState, recipientDecider, type RecipientState } from '../../domain/index.js';
import { openEvent } from '../../personal/openEvent.js';
import { statusCopyLine } from './statusColumns.js';
import { rowToState, stateToRow, type StatusRow } from './statusRow.js';
import { sealRow, type StoredRow } from './storedRow.js';

/**
 * A stored event as the folder needs it (what a structured clone carries to a worker: no checkpoint, no time).
 * Data as JSON text when the store gives it so: a string crosses to a worker as one copy, where a parsed object
 * costs more to clone than to parse.
 */
export type FoldEvent = { stream: string; version: bigint; position: bigint; type: string; data: Record<string, unknown> | string };

/**
 * What the loader asks of a folder, in order. `fold`: forget `drop` (their rows are stored and they left memory),
 * start `fresh` streams (their data keys, all concatenated in `keys`, 32 bytes each, `null` where erased) and
 * `seeds` (streams with a stored row, folded on from it), then fold `events`. `encode`: the rows of `streams` that
 * changed since last stored, as COPY text (no row yet) and upsert JSON (a row stored before). Each is answered
 * with its id once done (a fold with the id alone), so the loader can keep a bounded number of folds queued.
 */
export type FolderRequest =
  | { kind: 'fold'; id: number; drop: string[]; fresh: string[]; keys: Uint8Array; erased: number[]; seeds: [StatusRow, Uint8Array | null][]; events: FoldEvent[] }
  | { kind: 'encode'; id: number; streams: string[] };

export type EncodeReply = { id: number; copy: string; upsert: string | null; written: string[] };
export type FolderReply = { id: number } | EncodeReply;

type Held = { key: Buffer | null; state: RecipientState; version: bigint; position: bigint; storedVersion: bigint };

const KEY_BYTES = 32;
/** A key as a Buffer of its own (a structured clone gives a plain Uint8Array). */
const asKey = (u: Uint8Array | null): Buffer | null => (u ? Buffer.from(u.buffer, u.byteOffset, u.byteLength) : null);

/**
 * The CPU side of a rebuild's bulk load (open, fold, seal, encode), kept apart from the reading and writing so it
 * can run in worker threads: a folder holds the fold states of the streams given to it, and nothing of the
 * database. The same code runs inline when the loader has no workers.
 */
export const createStatusFolder = (bixKey: Buffer) => {
  const held = new Map<string, Held>();

  const fold = (r: Extract<FolderRequest, { kind: 'fold' }>) => {
    for (const s of r.drop) held.delete(s);
    const erased = new Set(r.erased);
    r.fresh.forEach((s, i) => {
      const key = erased.has(i) ? null : asKey(r.keys.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES));
      held.set(s, { key, state: initialState(), version: 0n, position: 0n, storedVersion: 0n });
    });
    for (const [row, key] of r.seeds) {
      held.set(row.stream, { key: asKey(key), state: rowToState(row), version: row.version, position: row.position, storedVersion: row.version });
    }
    // A stream's events are consecutive in the batch (the loader groups them): each run is one fold.
    for (let i = 0; i < r.events.length; ) {
      const stream = r.events[i].stream;
      let end = i + 1;
      while (end < r.events.length && r.events[end].stream === stream) end++;
      const h = held.get(stream);
      if (!h) throw new Error(`folder: no state for ${stream}`);
      const run = r.events.slice(i, end).map((e) => openEvent(h.key, { ...e, data: typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data }));
      Object.assign(h, foldStream(recipientDecider, run, h));
      i = end;
    }
  };

  const encode = (r: Extract<FolderRequest, { kind: 'encode' }>): EncodeReply => {
    let copy = '';
    const upsert: StoredRow[] = [];
    const written: string[] = [];
    for (const s of r.streams) {
      const h = held.get(s);
      if (!h || h.state.kind !== 'registered' || h.version === h.storedVersion) continue;
      const row = sealRow(stateToRow(s, h.state, h.version, h.position), h.key, bixKey);
      if (h.storedVersion === 0n) copy += statusCopyLine(row);
      else upsert.push(row);
      h.storedVersion = h.version;
      written.push(s);
    }
    return { id: r.id, copy, upsert: upsert.length > 0 ? JSON.stringify(upsert) : null, written };
  };

  return {
    handle: (r: FolderRequest): FolderReply => {
      if (r.kind === 'fold') {
        fold(r);
        return { id: r.id };
      }
      return encode(r);
    },
  };
};
