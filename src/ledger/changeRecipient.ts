import { checkRecordRequest, myNumberClaimDecider, recipientDecider, type RecipientCommand } from '../domain/index.js';
import { appendSealed, type LedgerWrite } from './appendSealed.js';
import { metadataOf, type CommandContext } from './commandContext.js';
import type { LedgerDeps } from './ledgerDeps.js';
import { earlierResult, headOf, loadRecipient } from './loadRecipient.js';
import { loadClaim } from './loadClaim.js';
import { orThrow, type LedgerResult } from './ledgerResult.js';

type StreamCommand = Exclude<RecipientCommand, { type: 'RegisterRecipient' }>;
type Input<C> = C extends unknown ? Omit<C, 'today'> : never;

/**
 * Record, correct, void, correct details, erase: load → decide → append at the version read, so a concurrent
 * change to the same person is a conflict (409), never a silent overwrite. A retried commandId answers with
 * the first result.
 */
export const changeRecipient = async (
  deps: LedgerDeps,
  stream: string,
  input: Input<StreamCommand>,
  c: CommandContext,
): Promise<LedgerResult> => {
  // What the request alone gets wrong is answered before the person is read (nothing about them in the answer).
  if (input.type === 'RecordVaccination') orThrow(checkRecordRequest({ ...input, today: c.today }));
  const loaded = await loadRecipient(deps, stream);
  const earlier = earlierResult(loaded, c);
  // (A retried erasure whose key survived a crash: loading the stream above already finished the deletion.)
  if (earlier) return earlier;
  const command = { ...input, today: c.today } as StreamCommand;
  const events = orThrow(recipientDecider.decide(command, loaded.state));
  if (events.length === 0) {
    // Nothing to write (e.g. the same scan again): answer with the stream as it is.
    return { stream, version: loaded.version, positions: [], duplicate: true };
  }
  const writes: LedgerWrite[] = [{ stream, events, expected: loaded.version, personal: true, head: headOf(loaded) }];
  const myNumber = loaded.state.kind === 'registered' ? loaded.state.person?.myNumber : undefined;
  if (command.type === 'ErasePersonalData' && myNumber) {
    // The erased registration no longer holds the person's number, nor is it found by it.
    const claim = await loadClaim(deps, myNumber);
    const release = orThrow(myNumberClaimDecider.decide({ type: 'Unlink', stream }, claim.state));
    if (release.length > 0) writes.push({ stream: claim.stream, events: release, expected: claim.version, personal: false });
  }
  const [result] = await appendSealed(deps, writes, metadataOf(c));
  if (command.type === 'ErasePersonalData') await deps.dataKeys.erase(stream);
  return { stream, version: result.nextExpectedVersion, positions: result.positions, duplicate: result.duplicate };
};
