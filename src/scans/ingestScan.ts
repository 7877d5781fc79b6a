import type { Maker } from '../domain/index.js';
import type { Actor } from '../eventstore/contract.js';
import { metadataOf, commandContext } from '../ledger/index.js';
import { decodeImage, imageSha256, readCoupon, readLot } from '../ocr/index.js';
import type { CouponScanned } from './events.js';
import { evaluateScan, outcomeEvent } from './evaluateScan.js';
import { loadScan } from './loadScan.js';
import type { ScanDeps } from './scanDeps.js';
import { scanCommandId, scanIdOf, scanStream } from './scanId.js';
import { SCAN_STATUS, writeScanRows } from './scanStatusProjection.js';
import { scanResult, type ScanResult } from './scanView.js';

export type ScanUpload = {
  coupon: Buffer;
  lotImage?: Buffer;
  date: string;
  maker: Maker;
  lot?: string;
  siteCode: string;
};

/**
 * The stored answer for a scan. Its row in `scan_status` is written from the same events now, as the projection
 * will write it, so the caller's next look at the review queue shows the scan even before the runner gets there.
 */
export const answerFromStream = async (deps: ScanDeps, scanId: string, duplicate: boolean): Promise<ScanResult | null> => {
  const loaded = await loadScan(deps.ledger.store, scanId);
  if (loaded.state.kind !== 'scanned') return null;
  await writeScanRows(deps.db, SCAN_STATUS, loaded.events);
  return scanResult(scanId, loaded.state, duplicate);
};

/**
 * One coupon photo from a site: the same photo again answers with the first result; an upload that is not a
 * readable image is refused (ImageError) before any OCR and before anything is written. Otherwise: read,
 * decide, maybe record the dose, then append CouponScanned and its outcome to `scan-<scanId>` in one append.
 */
export const ingestScan = async (deps: ScanDeps, upload: ScanUpload, actor: Actor & { site: string }): Promise<ScanResult & { created: boolean }> => {
  const scanId = scanIdOf(imageSha256(upload.coupon), actor.site);
  const earlier = await answerFromStream(deps, scanId, true);
  if (earlier) return { ...earlier, created: false };

  const limits = { maxBytes: deps.maxBytes };
  if (upload.lotImage) await decodeImage(upload.lotImage, limits); // refuse a bad sticker photo before any OCR too
  const pool = await deps.ocr();
  const reading = await readCoupon(upload.coupon, pool, { limits });
  const lotRead = upload.lotImage && upload.lot === undefined ? await readLot(upload.lotImage, pool, limits) : null;
  const lot = upload.lot ?? lotRead?.text ?? null;

  await deps.images.put(upload.coupon);
  const lotImageSha256 = upload.lotImage ? await deps.images.put(upload.lotImage) : undefined;

  const scanned: CouponScanned = {
    site: actor.site,
    siteCode: upload.siteCode,
    method: reading.method,
    line: reading.line,
    certain: reading.certain,
    ...(reading.reason ? { failure: reading.reason } : {}),
    confidence: reading.confidence,
    ...(reading.passes ? { passes: reading.passes } : {}),
    imageSha256: reading.imageSha256,
    ...(lotImageSha256 ? { lotImageSha256 } : {}),
    ...(lotRead ? { lotConfidence: lotRead.confidence } : {}),
    date: upload.date,
    maker: upload.maker,
    lot,
  };
  const outcome = await evaluateScan(
    deps.ledger,
    { scanId, certain: reading.certain, failure: reading.reason, line: reading.line, maker: upload.maker, lot, date: upload.date, siteCode: upload.siteCode },
    actor,
  );
  const metadata = scanMetadata(actor, scanId);
  const appended = await deps.ledger.store
    .append(scanStream(scanId), [{ type: 'CouponScanned', data: scanned, metadata }, { ...outcomeEvent(outcome), metadata }], {
      expected: 'no_stream',
    })
    .then((r) => !r.duplicate)
    // A concurrent upload of the same photo got there first; its dose (if any) is the one this scan recorded.
    .catch((e: { code?: string }) => {
      if (e?.code === 'STREAM_VERSION_CONFLICT') return false;
      throw e;
    });
  const answer = await answerFromStream(deps, scanId, !appended);
  return { ...answer!, created: appended };
};

export const scanMetadata = (actor: Actor, scanId: string) => metadataOf(commandContext(actor, scanCommandId(scanId)));
