import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { statusCopyLine, statusCopySql } from './statusColumns.js';
import type { StoredRow } from './storedRow.js';

/** Lines grouped into ~256 KB chunks: fewer stream writes than one per row. */
export function* copyLines(rows: StoredRow[]): Generator<string> {
  let buf = '';
  for (const r of rows) {
    buf += statusCopyLine(r);
    if (buf.length > 256 * 1024) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * New rows (streams with no row in `table` yet) by COPY: several times cheaper than INSERT … ON CONFLICT for the
 * bulk load of a rebuild, where nearly every row is new.
 */
export const copyStatusRows = async (db: pg.ClientBase, table: string, rows: StoredRow[]) => {
  if (rows.length === 0) return;
  const sink = db.query(copyStreams.from(statusCopySql(table)));
  await pipeline(Readable.from(copyLines(rows)), sink);
};

/** Rows already encoded as COPY text (by the rebuild's folders), in one COPY. */
export const copyStatusText = async (db: pg.ClientBase, table: string, text: string[]) => {
  const parts = text.filter((t) => t.length > 0);
  if (parts.length === 0) return;
  const sink = db.query(copyStreams.from(statusCopySql(table)));
  await pipeline(Readable.from(parts), sink);
};
