import type pg from 'pg';
import type { LedgerDeps } from '../ledger/index.js';
import type { ImageStore, OcrPool } from '../ocr/index.js';

/** What the scan service needs: the ledger, the read-model database, the image store and the OCR pool (started on first use). */
export type ScanDeps = {
  ledger: LedgerDeps;
  db: pg.Pool;
  images: ImageStore;
  ocr: () => Promise<OcrPool>;
  maxBytes: number;
};
