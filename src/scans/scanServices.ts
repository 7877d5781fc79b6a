import type pg from 'pg';
import type { Config } from '../config/config.js';
import type { Schema } from '../eventstore/postgres/schema.js';
import type { LedgerDeps } from '../ledger/index.js';
import { createImageStore, createOcrPool, type OcrPool } from '../ocr/index.js';
import { scanGrants, scanMigrations } from './migrations.js';
import type { ScanDeps } from './scanDeps.js';

type Stopper = () => Promise<void>;
type Services = Record<string, unknown>;

const DAY_MS = 86_400_000;

/**
 * The scan service's shared parts, made once per process and kept in the runtime's `services` bag: its table,
 * the image store with a retention sweep at start and daily, and the OCR pool, started on the first scan
 * (worker start costs ~0.3 s and ~125 MB each) and closed with the other services at shutdown.
 */
export const scanServices = async (
  args: { ledger: LedgerDeps; db: pg.Pool; schema: Pick<Schema, 'migrate'>; config: Pick<Config, 'VRS_DATA_DIR' | 'VRS_SCAN_MAX_BYTES' | 'VRS_SCAN_RETENTION_DAYS'>; services: Services },
  log: (msg: string, detail?: Record<string, unknown>) => void = () => {},
): Promise<ScanDeps> => {
  const { services, config } = args;
  if (services.scans) return services.scans as ScanDeps;
  await args.schema.migrate('scans', scanMigrations, scanGrants);
  // serve.ts reads this array once, right after the routes are built: it must exist before then.
  const stoppers = ((services.stoppers as Stopper[] | undefined) ?? (services.stoppers = [])) as Stopper[];
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
  stoppers.push(async () => {
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
  const deps: ScanDeps = { ledger: args.ledger, db: args.db, images, ocr, maxBytes: config.VRS_SCAN_MAX_BYTES };
  services.scans = deps;
  return deps;
};
