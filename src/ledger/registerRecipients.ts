import { DomainError, myNumberClaimDecider, myNumberClaimStream, recipientDecider, recipientStream, type MyNumberClaimState } from '../domain/index.js';
import type { EventMetadata, ExpectedVersion } from '../eventstore/contract.js';
import { isStreamVersionConflict } from '../eventstore/errors.js';
import { myNumberHmac } from '../personal/myNumberHmac.js';
import { sealWrites, type LedgerWrite } from './appendSealed.js';
import { metadataOf, type CommandContext } from './commandContext.js';
import type { LedgerDeps } from './ledgerDeps.js';
import { loadClaim } from './loadClaim.js';
import { handleRegisterRecipient, type RegisterInput } from './handleRegisterRecipient.js';

export type BatchRegistration = { input: RegisterInput; context: CommandContext };

export type RegistrationOutcome =
  | { kind: 'registered' }
  /** The recipient's stream exists (an earlier run of the same command, or another command), or an earlier item of the batch has it. */
  | { kind: 'exists' }
  /** A rule refused it. `earlierInBatch`: the My Number's claim was taken by an earlier item of this batch. */
  | { kind: 'refused'; error: DomainError; earlierInBatch: boolean };

type ClaimSoFar = { state: MyNumberClaimState; expected: ExpectedVersion; write?: LedgerWrite & { metadata: EventMetadata } };

const registered: RegistrationOutcome = { kind: 'registered' };
const exists: RegistrationOutcome = { kind: 'exists' };

/** One item through the single-command path: what a batch that met a concurrent writer falls back to. */
const registerOne = async (deps: LedgerDeps, { input, context }: BatchRegistration): Promise<RegistrationOutcome> => {
  try {
    return (await handleRegisterRecipient(deps, input, context)).duplicate ? exists : registered;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return e.code === 'ALREADY_REGISTERED' ? exists : { kind: 'refused', error: e, earlierInBatch: false };
  }
};

/**
 * Registers many recipients as the single command does (the same decide, the same My Number claim decision, the
 * same metadata and sealing), deciding the items in order as if one after another, and writing every registration
 * and claim of the batch in ONE bulk append (all or nothing). Which recipient and claim streams exist is one read
 * for the whole batch; a claim that exists (a person registered before, moved or erased) is folded as the single
 * path folds it. When the bulk append meets a concurrent writer (a stream created meanwhile), nothing of it was
 * written and the items go one by one through `handleRegisterRecipient`, whose retries and idempotency settle each.
 * `cacheKeys: false` (the default) for loads: their new data keys are not needed again soon.
 */
export const registerRecipients = async (
  deps: LedgerDeps,
  items: BatchRegistration[],
  { cacheKeys = false } = {},
): Promise<RegistrationOutcome[]> => {
  const decided = items.map(({ input, context }) => {
    const stream = recipientStream(input.municipality, input.coupon);
    const events = recipientDecider.decide({ type: 'RegisterRecipient', today: context.today, ...input }, recipientDecider.initialState());
    if (!events.ok) return { stream, events };
    // The registered codes are the canonical ones decide recorded, not the input as typed.
    const { municipality, coupon, personal } = events.value[0].data as { municipality: string; coupon: string; personal?: { myNumber?: string } | null };
    const myNumber = personal?.myNumber;
    return { stream, events, municipality, coupon, myNumber, claimStream: myNumber ? myNumberClaimStream(myNumberHmac(deps.hmacKey, myNumber)) : undefined };
  });
  const existing = await deps.store.streamVersions([...new Set(decided.flatMap((d) => (d.claimStream ? [d.stream, d.claimStream] : [d.stream])))]);

  const outcomes: RegistrationOutcome[] = [];
  const taken = new Set<string>();
  const claims = new Map<string, ClaimSoFar>();
  const writes: (LedgerWrite & { metadata: EventMetadata })[] = [];
  const written: number[] = [];
  const alone: number[] = [];
  for (const [i, d] of decided.entries()) {
    if (existing.has(d.stream) || taken.has(d.stream)) {
      outcomes[i] = exists;
      continue;
    }
    if (!d.events.ok) {
      outcomes[i] = { kind: 'refused', error: d.events.error, earlierInBatch: false };
      continue;
    }
    taken.add(d.stream);
    const metadata = metadataOf(items[i].context);
    if (d.claimStream && d.myNumber) {
      let claim = claims.get(d.claimStream);
      if (!claim) {
        if (existing.has(d.claimStream)) {
          const loaded = await loadClaim(deps, d.myNumber);
          claim = { state: loaded.state, expected: loaded.version === 0n ? 'no_stream' : loaded.version };
        } else claim = { state: myNumberClaimDecider.initialState(), expected: 'no_stream' };
        claims.set(d.claimStream, claim);
      }
      const claimed = myNumberClaimDecider.decide({ type: 'Claim', stream: d.stream, municipality: d.municipality!, coupon: d.coupon! }, claim.state);
      if (!claimed.ok) {
        outcomes[i] = { kind: 'refused', error: claimed.error, earlierInBatch: claim.write !== undefined };
        continue;
      }
      if (claimed.value.length > 0 && claim.write) {
        // A claim this batch already changes, changed again (not reachable with today's rules: once claimed here it
        // is active, and a second item's claim is refused above): one write per stream, so this item goes alone.
        alone.push(i);
        continue;
      }
      writes.push({ stream: d.stream, events: d.events.value, expected: 'no_stream', personal: true, metadata });
      if (claimed.value.length > 0) {
        for (const e of claimed.value) claim.state = myNumberClaimDecider.evolve(claim.state, e);
        writes.push((claim.write = { stream: d.claimStream, events: claimed.value, expected: claim.expected, personal: false, metadata }));
      }
    } else writes.push({ stream: d.stream, events: d.events.value, expected: 'no_stream', personal: true, metadata });
    written.push(i);
  }

  if (writes.length > 0) {
    try {
      await deps.store.appendBulk(await sealWrites(deps, writes, { cacheKeys }));
      for (const i of written) outcomes[i] = registered;
    } catch (e) {
      if (!isStreamVersionConflict(e)) throw e;
      for (const i of written) outcomes[i] = await registerOne(deps, items[i]);
    }
  }
  for (const i of alone) outcomes[i] = await registerOne(deps, items[i]);
  return outcomes;
};
