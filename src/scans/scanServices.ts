import type pg from 'pg';
import type { Config } from '../runtime/config.js';
import type { Schema } from '../eventstore/postgres/schema.js';
import { makeProjectionTables } from '../projections/runner/ensureTables.js';
import { scanStatusProjection } from './scanStatusProjection.js';
import { serviceKey, type Services } from '../runtime/services.js';
import type { LedgerDeps } from '../ledger/index.js';
import { createImageStore, createOcrPool, type OcrPool } from '../ocr/index.js';
import type { ScanDeps } from './scanDeps.js';

const scansKey = serviceKey<Promise<ScanDeps>>('scans');

const DAY_MS = 86_400_000;

type ScanArgs = { ledger: LedgerDeps; db: pg.Pool; schema: Schema; config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_SCAN_MAX_BYTES' | 'VRS_SCAN_RETENTION_DAYS'>; services: Services };
type Log = (msg: string, detail?: Record<string, unknown>) => void;

/**
 * The scan service's shared parts, made once per process and kept among the runtime's services: the `scan_status`
 * table (a request writes its own scan's row, so it must exist even where no projection runs; the runtime migrates
 * the scope at start), the image store with a retention sweep at start and daily, and the OCR pool, started on the
 * first scan (worker start costs ~0.3 s and ~125 MB each) and closed with the other services at shutdown.
 */
export const scanServices = (args: ScanArgs, log: Log = () => {}): Promise<ScanDeps> => args.services.of(scansKey, () =>
    makeScanDeps(args, log).catch((e: unknown) => {
      args.services.forget(scansKey); // a failed start is retried by the next scan
      throw e;
    }),
  );

const makeScanDeps = async (args: ScanArgs, log: Log): Promise<ScanDeps> => {
  const { services, config } = args;
  await makeProjectionTables(args.schema, [scanStatusProjection]);
  const images = createImageStore(config.VRS_DATA_DIR);
  const sweep = () =>
    images
      .sweep(config.VRS_SCAN_RETENTION_DAYS)
      .then((deleted) => deleted > 0 && log('scan images past retention deleted', { deleted }))
      .catch((e: Error) => log('scan image sweep failed', { err: e.message }));
  void sweep();
  const daily = setInterval(() => void sweep(), DAY_MS);
  daily.unref();
  let starting: Promise<OcrPool> | null = null;
  services.onStop(async () => {
    clearInterval(daily);
    if (starting) await (await starting.catch(() => null))?.close();
  });
  const ocr = () => {
    starting ??= createOcrPool().catch((e: unknown) => {
      starting = null; // a failed start is retried by the next scan
      throw e;
    });
    return starting;
  };
  return { ledger: args.ledger, db: args.db, images, ocr, maxBytes: config.VRS_SCAN_MAX_BYTES };
};
