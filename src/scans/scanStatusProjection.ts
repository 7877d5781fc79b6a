import type pg from 'pg';
import type { BulkEvent } from '../eventstore/contract.js';
import type { ProjectionDefinition, ProjectionTable } from '../projections/projection.js';
import { parsedLine } from './decideScan.js';
import { ScanEvent } from './events.js';

export const SCAN_STATUS = 'scan_status';

/** The columns, written once: the table, the rows read back and the rows written all follow this list. */
const COLUMNS: [name: keyof ScanRow, type: string, nullable?: 'null'][] = [
  ['scan_id', 'text'],
  ['seq', 'bigint'],
  ['site', 'text'],
  ['status', 'text'],
  ['reasons', 'jsonb'],
  ['rule_code', 'text', 'null'],
  ['method', 'text'],
  ['line', 'text', 'null'],
  ['municipality', 'text', 'null'],
  ['coupon', 'text', 'null'],
  ['dose', 'smallint', 'null'],
  ['date', 'text'],
  ['maker', 'text'],
  ['lot', 'text', 'null'],
  ['image_sha256', 'text'],
  ['version', 'bigint'],
  ['scanned_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

/**
 * One row per scan: what the review queue shows. Every column comes from the scan's events (`seq` is the position
 * of its CouponScanned, the times are the events' own), so a rebuild from the log gives the same rows.
 */
export const scanStatusTable: ProjectionTable = {
  name: SCAN_STATUS,
  create: (t) =>
    `CREATE TABLE IF NOT EXISTS ${t} (${COLUMNS.map(([c, type, nullable]) => `${c} ${type}${nullable ? '' : ' NOT NULL'}`).join(', ')}, PRIMARY KEY (scan_id))`,
  indexes: (t) => [`CREATE INDEX IF NOT EXISTS ${t}_site_status ON ${t} (site, status, seq)`],
  // Rows are written and rewritten from the events, never deleted.
  privileges: ['SELECT', 'INSERT', 'UPDATE'],
};

/** A row as jsonb holds it (to_jsonb reads it, jsonb_to_recordset writes it): positions are far below 2^53. */
type ScanRow = {
  scan_id: string;
  seq: number;
  site: string;
  status: 'recorded' | 'needs-review';
  reasons: string[];
  rule_code: string | null;
  method: string;
  line: string | null;
  municipality: string | null;
  coupon: string | null;
  dose: number | null;
  date: string;
  maker: string;
  lot: string | null;
  image_sha256: string;
  version: number;
  scanned_at: string;
  updated_at: string;
};

const RECORD = COLUMNS.map(([c, type]) => `${c} ${type}`).join(', ');
const UPDATE = COLUMNS.filter(([c]) => c !== 'scan_id').map(([c]) => `${c} = EXCLUDED.${c}`).join(', ');

const readLine = (line: string | null) => {
  const p = parsedLine(line);
  return { line, municipality: p?.municipality ?? null, coupon: p?.coupon ?? null, dose: p?.dose ?? null };
};

/** The row after one event of its scan (the same fold as state.ts, kept to what the queue shows). */
const evolveRow = (row: ScanRow | undefined, e: BulkEvent): ScanRow | undefined => {
  const event = ScanEvent.parse({ type: e.type, data: e.data });
  const at = { version: Number(e.version), updated_at: e.recordedAt.toISOString() };
  if (event.type === 'CouponScanned') {
    const d = event.data;
    return {
      scan_id: e.stream.slice('scan-'.length),
      seq: Number(e.position),
      site: d.site,
      status: 'needs-review',
      reasons: [],
      rule_code: null,
      method: d.method,
      ...readLine(d.line),
      date: d.date,
      maker: d.maker,
      lot: d.lot,
      image_sha256: d.imageSha256,
      scanned_at: e.recordedAt.toISOString(),
      ...at,
    };
  }
  if (!row) return row;
  switch (event.type) {
    case 'ScanResolved':
      return { ...row, method: 'typed', ...readLine(event.data.line), ...at };
    case 'ScanAccepted':
      return { ...row, status: 'recorded', reasons: [], rule_code: null, ...at };
    case 'ScanNeedsReview':
      return { ...row, status: 'needs-review', reasons: event.data.reasons, rule_code: event.data.ruleCode ?? null, ...at };
  }
};

/**
 * Applies scan events, in order, to the rows of `table`: the runner's batches, a rebuild's, and the scan request's
 * own events (so its caller reads its scan at once). A row never goes back to an older version, so the request
 * and the runner writing the same events agree.
 */
export const writeScanRows = async (db: pg.ClientBase | pg.Pool, table: string, events: BulkEvent[]) => {
  const scanEvents = events.filter((e) => e.stream.startsWith('scan-'));
  if (scanEvents.length === 0) return;
  const rows = new Map<string, ScanRow | undefined>();
  // A scan whose CouponScanned came in an earlier batch goes on from its stored row.
  const continued: string[] = [];
  for (const e of scanEvents) {
    if (rows.has(e.stream)) continue;
    rows.set(e.stream, undefined);
    if (e.type !== 'CouponScanned') continued.push(e.stream.slice('scan-'.length));
  }
  if (continued.length > 0) {
    const { rows: stored } = await db.query<{ row: ScanRow }>(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE scan_id = ANY($1::text[])`, [continued]);
    for (const { row } of stored) rows.set(`scan-${row.scan_id}`, row);
  }
  for (const e of scanEvents) rows.set(e.stream, evolveRow(rows.get(e.stream), e));
  const changed = [...rows.values()].filter((r): r is ScanRow => r !== undefined);
  if (changed.length === 0) return;
  await db.query(
    `INSERT INTO ${table} AS s SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD})
     ON CONFLICT (scan_id) DO UPDATE SET ${UPDATE} WHERE s.version < EXCLUDED.version`,
    [JSON.stringify(changed)],
  );
};

/** The review queue's read model: `vrs rebuild scan_status` rebuilds it from the scan events. */
export const scanStatusProjection: ProjectionDefinition = {
  name: SCAN_STATUS,
  tables: [scanStatusTable],
  eventTypes: ['CouponScanned', 'ScanAccepted', 'ScanNeedsReview', 'ScanResolved'],
  applyBatch: (tx, events, table) => writeScanRows(tx, table(SCAN_STATUS), events),
};

export type ReviewItem = {
  scanId: string;
  scannedAt: string;
  read: { method: string; line: string | null; municipality: string | null; coupon: string | null; dose: number | null };
  reasons: string[];
  ruleCode: string | null;
  date: string;
  maker: string;
  lot: string | null;
  imageSha256: string;
};

/** A site's scans that wait for a person, oldest first, keyset-paged on the row's sequence. */
export const listReview = async (db: pg.Pool, site: string, limit: number, after = 0): Promise<{ items: ReviewItem[]; nextCursor: string | null }> => {
  const { rows } = await db.query(
    `SELECT seq, scan_id, scanned_at, method, line, municipality, coupon, dose, reasons, rule_code, date, maker, lot, image_sha256
       FROM scan_status
      WHERE site = $1 AND status = 'needs-review' AND seq > $2
      ORDER BY seq LIMIT $3`,
    [site, after, limit + 1],
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({
    scanId: r.scan_id,
    scannedAt: (r.scanned_at as Date).toISOString(),
    read: { method: r.method, line: r.line, municipality: r.municipality, coupon: r.coupon, dose: r.dose },
    reasons: r.reasons,
    ruleCode: r.rule_code,
    date: r.date,
    maker: r.maker,
    lot: r.lot,
    imageSha256: r.image_sha256,
  }));
  return { items, nextCursor: more ? String(page[page.length - 1].seq) : null };
};
