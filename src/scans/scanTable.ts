import type pg from 'pg';
import { readOf } from './scanView.js';
import type { ScanState } from './state.js';

type Scanned = Extract<ScanState, { kind: 'scanned' }>;

/** Writes the scan's row from its folded state; an older version never overwrites a newer one. */
export const upsertScanRow = async (db: pg.Pool, scanId: string, s: Scanned, version: bigint) => {
  const read = readOf(s);
  await db.query(
    `INSERT INTO scan_status (scan_id, site, status, reasons, rule_code, method, line, municipality, coupon, dose, date, maker, lot, image_sha256, version)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (scan_id) DO UPDATE SET status = EXCLUDED.status, reasons = EXCLUDED.reasons, rule_code = EXCLUDED.rule_code,
       method = EXCLUDED.method, line = EXCLUDED.line, municipality = EXCLUDED.municipality, coupon = EXCLUDED.coupon,
       dose = EXCLUDED.dose, version = EXCLUDED.version, updated_at = now()
     WHERE scan_status.version < EXCLUDED.version`,
    [scanId, s.scanned.site, s.status, JSON.stringify(s.reasons), s.ruleCode ?? null, read.method, read.line, read.municipality, read.coupon, read.dose,
      s.scanned.date, s.scanned.maker, s.scanned.lot, s.scanned.imageSha256, version.toString()],
  );
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
