import { initialState, isDomainError, isPersonDependent, recipientStream, type Maker } from '../domain/index.js';
import type { Actor } from '../eventstore/contract.js';
import { isStreamVersionConflict as isConflict } from '../eventstore/errors.js';
import { changeRecipient, commandContext, loadRecipient, type LedgerDeps } from '../ledger/index.js';
import { decideScan, parsedLine, type ScanFacts } from './decideScan.js';
import type { ScanAccepted, ScanNeedsReview } from './events.js';
import { scanCommandId } from './scanId.js';

export type ScanOutcome = { kind: 'recorded'; accepted: ScanAccepted } | { kind: 'review'; review: ScanNeedsReview };

export type ScanInput = Omit<ScanFacts, 'recipient'> & { scanId: string; date: string; siteCode: string; maker: Maker };


/**
 * Decides a scan against the recipient the line names and, when certain, records the dose through the same
 * command as POST /v1/vaccinations with `scan:<scanId>` as idempotency key. A dose this scan already recorded
 * (a retry, a concurrent duplicate upload) is answered as recorded, never written twice.
 */
export const evaluateScan = async (ledger: LedgerDeps, input: ScanInput, actor: Actor): Promise<ScanOutcome> => {
  const parsed = parsedLine(input.line);
  const stream = parsed ? recipientStream(parsed.municipality, parsed.coupon) : null;
  for (let attempt = 0; ; attempt++) {
    const loaded = stream ? await loadRecipient(ledger, stream) : null;
    const state = loaded?.state ?? initialState();
    if (loaded && state.kind === 'registered') {
      const mine = state.doses.find((d) => d.scanId === input.scanId && !d.voided);
      if (mine) {
        const event = loaded.events.find((e) => e.type === 'VaccinationRecorded' && (e.data as { scanId?: string }).scanId === input.scanId);
        return { kind: 'recorded', accepted: { recipientStream: loaded.stream, doseNumber: mine.doseNumber, position: event ? Number(event.position) : null } };
      }
    }
    const decision = decideScan({ ...input, recipient: state });
    if (decision.kind === 'review') return { kind: 'review', review: { reasons: decision.reasons } };
    try {
      const result = await changeRecipient(
        ledger,
        stream!,
        {
          type: 'RecordVaccination',
          municipality: decision.municipality,
          coupon: decision.coupon,
          doseNumber: decision.doseNumber,
          date: input.date,
          vaccine: { maker: input.maker, lot: decision.lot },
          siteCode: input.siteCode,
          source: 'scan',
          scanId: input.scanId,
        },
        commandContext(actor, scanCommandId(input.scanId)),
      );
      const position = result.positions.length > 0 ? Number(result.positions[result.positions.length - 1]) : null;
      return { kind: 'recorded', accepted: { recipientStream: stream!, doseNumber: decision.doseNumber, position } };
    } catch (e) {
      // The scanner is a site: a refusal that depends on the person is not told (see personDependentCodes).
      if (isDomainError(e)) return { kind: 'review', review: { reasons: ['rule-refused'], ruleCode: isPersonDependent(e) ? 'DOSE_REFUSED' : e.code } };
      // Someone changed this person between our read and write (a manual dose, a correction): decide again.
      if (isConflict(e) && attempt < 3) continue;
      throw e;
    }
  }
};

export const outcomeEvent = (o: ScanOutcome) =>
  o.kind === 'recorded' ? { type: 'ScanAccepted' as const, data: o.accepted } : { type: 'ScanNeedsReview' as const, data: o.review };
