import { recipientDecider, type IssueCertificate, type IssueCoupon, type RegisteredRecipient } from '../domain/index.js';
import { appendSealed } from './appendSealed.js';
import { metadataOf, type CommandContext } from './commandContext.js';
import type { LedgerDeps } from './ledgerDeps.js';
import { headOf, loadRecipient } from './loadRecipient.js';
import { orThrow, type LedgerResult } from './ledgerResult.js';
import { retryOnConflict } from './retryOnConflict.js';

type Input<C> = C extends unknown ? Omit<C, 'today'> : never;
export type IssueInput = Input<IssueCoupon | IssueCertificate>;

/**
 * Load → decide → make the paper → append at the version read. The paper is made from exactly the state the
 * issue event is appended against: a dose voided meanwhile makes the append conflict, and the whole issue is
 * decided and made again from the new state (so no certificate shows a dose the ledger no longer has).
 * Every issue is a new event: a reprint is a second, recorded issue (callers give each issue its own commandId).
 */
export const issueDocument = <T>(
  deps: LedgerDeps,
  stream: string,
  input: IssueInput,
  c: CommandContext,
  make: (state: RegisteredRecipient) => Promise<T> | T,
): Promise<{ result: LedgerResult; state: RegisteredRecipient; made: T }> =>
  retryOnConflict(async () => {
    const loaded = await loadRecipient(deps, stream);
    const command = { ...input, today: c.today } as IssueCoupon | IssueCertificate;
    const events = orThrow(recipientDecider.decide(command, loaded.state));
    const state = loaded.state as RegisteredRecipient; // decide refused anything but a registered recipient
    const made = await make(state);
    const [result] = await appendSealed(
      deps,
      [{ stream, events, expected: loaded.version, personal: true, head: headOf(loaded) }],
      metadataOf(c),
    );
    return { result: { stream, version: result.nextExpectedVersion, positions: result.positions, duplicate: result.duplicate }, state, made };
  });
