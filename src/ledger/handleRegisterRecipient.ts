import { myNumberClaimDecider, recipientDecider, recipientStream, type RegisterRecipient } from '../domain/index.js';
import { appendSealed, type LedgerWrite } from './appendSealed.js';
import { metadataOf, type CommandContext } from './commandContext.js';
import type { LedgerDeps } from './ledgerDeps.js';
import { earlierResult, loadRecipient } from './loadRecipient.js';
import { loadClaim } from './loadClaim.js';
import { orThrow, type LedgerResult } from './ledgerResult.js';
import { retryOnConflict } from './retryOnConflict.js';

export type RegisterInput = Omit<RegisterRecipient, 'type' | 'today'>;

/** Registers a recipient; with a My Number, its nationwide claim is taken in the same atomic append. */
export const handleRegisterRecipient = (deps: LedgerDeps, input: RegisterInput, c: CommandContext): Promise<LedgerResult> =>
  retryOnConflict(() => register(deps, input, c));

const register = async (deps: LedgerDeps, input: RegisterInput, c: CommandContext): Promise<LedgerResult> => {
  const stream = recipientStream(input.municipality, input.coupon);
  const loaded = await loadRecipient(deps, stream);
  const earlier = earlierResult(loaded, c);
  if (earlier) return earlier;
  const events = orThrow(recipientDecider.decide({ type: 'RegisterRecipient', today: c.today, ...input }, loaded.state));
  const writes: LedgerWrite[] = [{ stream, events, expected: 'no_stream', personal: true }];
  // The registered codes are the canonical ones decide recorded, not the input as typed.
  const { municipality, coupon, personal } = events[0].data as { municipality: string; coupon: string; personal?: { myNumber?: string } | null };
  const myNumber = personal?.myNumber;
  if (myNumber) {
    const claim = await loadClaim(deps, myNumber);
    const claimEvents = orThrow(myNumberClaimDecider.decide({ type: 'Claim', stream, municipality, coupon }, claim.state));
    if (claimEvents.length > 0) writes.push({ stream: claim.stream, events: claimEvents, expected: claim.version === 0n ? 'no_stream' : claim.version, personal: false });
  }
  const [result] = await appendSealed(deps, writes, metadataOf(c));
  return { stream, version: result.nextExpectedVersion, positions: result.positions, duplicate: result.duplicate };
};
