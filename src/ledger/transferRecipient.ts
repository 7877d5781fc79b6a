import { decideTransfer, myNumberClaimDecider, parseMyNumber, recipientStream, transferSourceNotFound, type TransferRecipient } from '../domain/index.js';
import { StoreCapabilityError } from '../eventstore/errors.js';
import { appendSealed, type LedgerWrite } from './appendSealed.js';
import { metadataOf, type CommandContext } from './commandContext.js';
import type { LedgerDeps } from './ledgerDeps.js';
import { earlierResult, loadRecipient } from './loadRecipient.js';
import { loadClaim } from './loadClaim.js';
import { orThrow, type LedgerResult } from './ledgerResult.js';
import { retryOnConflict } from './retryOnConflict.js';

/**
 * Old stream: RecipientTransferredOut; new stream: RecipientRegistered + RecipientTransferredIn; the My Number
 * claim moves — all in one atomic append, so the person is never active in both places or in neither.
 */
export const transferRecipient = (deps: LedgerDeps, input: TransferInput, c: CommandContext): Promise<LedgerResult> =>
  retryOnConflict(() => transfer(deps, input, c));

type TransferInput = Omit<TransferRecipient, 'type' | 'today' | 'now'>;

const transfer = async (deps: LedgerDeps, input: TransferInput, c: CommandContext): Promise<LedgerResult> => {
  if (!deps.store.capabilities.multiStreamAppend) {
    throw new StoreCapabilityError('multiStreamAppend', 'this event store cannot append several streams atomically: transfers are refused rather than risk a half-transfer');
  }
  const fromStream = recipientStream(input.from.municipality, input.from.coupon);
  const toStream = recipientStream(input.to.municipality, input.to.coupon);
  const myNumber = orThrow(parseMyNumber(input.myNumber, 'myNumber'));
  // The claim of the My Number given is read whatever the coupon: every refusal costs the same reads.
  const [from, to, claim] = await Promise.all([loadRecipient(deps, fromStream), loadRecipient(deps, toStream), loadClaim(deps, myNumber)]);
  const earlier = earlierResult(to, c);
  if (earlier) return earlier;
  const events = orThrow(decideTransfer({ type: 'TransferRecipient', today: c.today, now: c.now, ...input }, from.state, to.state));
  // The nationwide claim must hold the `from` registration too (the sealed My Number matched above).
  if (claim.state.active?.stream !== fromStream) throw transferSourceNotFound();
  const writes: LedgerWrite[] = [
    { stream: fromStream, events: events.from, expected: from.version, personal: true },
    { stream: toStream, events: events.to, expected: 'no_stream', personal: true },
  ];
  // The new registration's codes as decide recorded them (canonical), not the input as typed.
  const { municipality, coupon } = events.to[0].data as { municipality: string; coupon: string };
  const moved = orThrow(myNumberClaimDecider.decide({ type: 'Move', fromStream, to: { stream: toStream, municipality, coupon } }, claim.state));
  if (moved.length > 0) writes.push({ stream: claim.stream, events: moved, expected: claim.version === 0n ? 'no_stream' : claim.version, personal: false });
  const results = await appendSealed(deps, writes, metadataOf(c));
  const created = results[1];
  return { stream: toStream, version: created.nextExpectedVersion, positions: created.positions, duplicate: created.duplicate };
};
