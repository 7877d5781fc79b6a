import type { Actor } from '../eventstore/contract.js';
import { commandContext, metadataOf } from '../ledger/index.js';
import { ScanError } from './errors.js';
import { evaluateScan, outcomeEvent } from './evaluateScan.js';
import { answerFromStream } from './ingestScan.js';
import { loadScan } from './loadScan.js';
import type { ScanDeps } from './scanDeps.js';
import { scanStream } from './scanId.js';
import { scanResult, type ScanResult } from './scanView.js';
import { withResolveLease } from './resolveLease.js';

export type Resolution = { line: string; lot?: string };

/** The line as a person typed it: full-width digits folded, spaces and hyphens dropped. */
export const normalizeTypedLine = (line: string): string => line.normalize('NFKC').replace(/[\s\-‐－]+/g, '');

/**
 * A person at the site that made the scan types the line (and the lot, when that was the problem); the same
 * policy decides as for a photo, with the typed line counted as a certain reading. Only that site sees the scan.
 */
export const resolveScan = async (deps: ScanDeps, scanId: string, input: Resolution, actor: Actor & { site: string }): Promise<ScanResult> => {
  const line = normalizeTypedLine(input.line);
  const first = await loadScan(deps.ledger.store, scanId);
  if (first.state.kind !== 'scanned' || first.state.scanned.site !== actor.site) throw new ScanError('SCAN_NOT_FOUND', 'no such scan at this site');

  return withResolveLease(deps.db, scanId, async () => {
    const loaded = await loadScan(deps.ledger.store, scanId);
    if (loaded.state.kind !== 'scanned') throw new ScanError('SCAN_NOT_FOUND', 'no such scan at this site');
    const s = loaded.state;
    if (s.status === 'recorded') {
      if (s.line === line) return scanResult(scanId, s, true);
      throw new ScanError('SCAN_ALREADY_RECORDED', 'this scan already recorded a dose; a municipality corrects or voids it');
    }
    const lot = input.lot ?? s.scanned.lot;
    const outcome = await evaluateScan(
      deps.ledger,
      { scanId, certain: true, line, maker: s.scanned.maker, lot, date: s.scanned.date, siteCode: s.scanned.siteCode },
      actor,
    );
    const by = actor.sub;
    const metadata = metadataOf(commandContext(actor, `scan-resolve:${scanId}:${s.resolutions + 1}`));
    await deps.ledger.store.append(
      scanStream(scanId),
      [
        { type: 'ScanResolved', data: { by, line, outcome: outcome.kind === 'recorded' ? 'recorded' : 'needs-review' }, metadata },
        { ...outcomeEvent(outcome), metadata },
      ],
      { expected: loaded.version },
    );
    return (await answerFromStream(deps, scanId, false))!;
  });
};
