import { DomainError, myNumberClaimDecider, myNumberClaimStream, recipientDecider, recipientStream, type MyNumberClaimState } from '../domain/index.js';
import type { EventMetadata, ExpectedVersion, StreamWrite } from '../eventstore/contract.js';
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
  /** The recipient's stream exists (an earlier run of the same command, or another command), or an earlier item has it. */
  | { kind: 'exists' }
  /** A rule refused it. `earlierInBatch`: the My Number's claim was taken by an earlier item of the same batch. */
  | { kind: 'refused'; error: DomainError; earlierInBatch: boolean };

export type RegistrationOptions = {
  /** false (the default) for loads: their new data keys are not needed again soon. */
  cacheKeys?: boolean;
};

type ClaimSoFar = { state: MyNumberClaimState; expected: ExpectedVersion; write?: LedgerWrite & { metadata: EventMetadata } };

/** What a planned batch will have written once appended: later batches are decided as if it were. */
type Written = { streams: Set<string>; claims: Map<string, { state: MyNumberClaimState; version: bigint }>; stale?: boolean };

type Plan = { outcomes: RegistrationOutcome[]; writes: StreamWrite[]; written: number[]; alone: number[]; effect: Written };

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
 * Decides a batch in order, as the single command decides each item: against the store (which streams exist: one
 * read for the batch; a claim that exists is folded as the single path folds it), the batches `before` it that are
 * not yet appended, and the earlier items of the batch. Seals what it will write.
 */
const plan = async (deps: LedgerDeps, items: BatchRegistration[], before: Written[], options: RegistrationOptions): Promise<Plan> => {
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
  const writtenBefore = (stream: string) => before.some((w) => w.streams.has(stream));
  const claimBefore = (stream: string) => before.findLast((w) => w.claims.has(stream))?.claims.get(stream);

  const outcomes: RegistrationOutcome[] = [];
  const taken = new Set<string>();
  const claims = new Map<string, ClaimSoFar>();
  const writes: (LedgerWrite & { metadata: EventMetadata })[] = [];
  const written: number[] = [];
  const alone: number[] = [];
  for (const [i, d] of decided.entries()) {
    if (existing.has(d.stream) || writtenBefore(d.stream) || taken.has(d.stream)) {
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
        const earlier = claimBefore(d.claimStream);
        if (earlier) claim = { state: earlier.state, expected: earlier.version };
        else if (existing.has(d.claimStream)) {
          // Rare in a fresh import (a person registered before: moved or erased).
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
  const effect: Written = { streams: taken, claims: new Map() };
  for (const [stream, c] of claims) {
    if (c.write) effect.claims.set(stream, { state: c.state, version: (c.expected === 'no_stream' ? 0n : (c.expected as bigint)) + BigInt(c.write.events.length) });
  }
  return { outcomes, writes: writes.length > 0 ? await sealWrites(deps, writes, { cacheKeys: options.cacheKeys ?? false }) : [], written, alone, effect };
};

/** Appends a planned batch in one bulk append; when it meets a concurrent writer, item by item. True if it fell back. */
const write = async (deps: LedgerDeps, items: BatchRegistration[], p: Plan): Promise<boolean> => {
  let fellBack = false;
  if (p.writes.length > 0) {
    try {
      await deps.store.appendBulk(p.writes);
      for (const i of p.written) p.outcomes[i] = registered;
    } catch (e) {
      if (!isStreamVersionConflict(e)) throw e;
      fellBack = true;
      for (const i of p.written) p.outcomes[i] = await registerOne(deps, items[i]);
    }
  }
  for (const i of p.alone) p.outcomes[i] = await registerOne(deps, items[i]);
  return fellBack;
};

/**
 * Registers many recipients as the single command does (the same decide, the same My Number claim decision, the
 * same metadata and sealing), deciding the items in order as if one after another, and writing every registration
 * and claim of the batch in ONE bulk append (all or nothing). When the bulk append meets a concurrent writer (a
 * stream created meanwhile), nothing of it was written and the items go one by one through `handleRegisterRecipient`,
 * whose retries and idempotency settle each.
 */
export const registerRecipients = async (deps: LedgerDeps, items: BatchRegistration[], options: RegistrationOptions = {}): Promise<RegistrationOutcome[]> => {
  const p = await plan(deps, items, [], options);
  await write(deps, items, p);
  return p.outcomes;
};

/**
 * registerRecipients for a sequence of batches, with the same answers as calling it for one batch after another,
 * but a batch is decided and sealed (Node's CPU) while the one before it is appended (PostgreSQL's). Plans run one at
 * a time in call order, each as if the batches planned before it were written; appends run one at a time in call
 * order. A batch decided against one that did not land as planned (it met a concurrent writer, or failed) is decided
 * again when its turn to append comes, against the store alone.
 */
export const registrationPipeline = (deps: LedgerDeps, options: RegistrationOptions = {}) => {
  let planning: Promise<unknown> = Promise.resolve();
  let appending: Promise<unknown> = Promise.resolve();
  /** Planned, not yet appended, in call order. */
  const pending: Written[] = [];
  return (items: BatchRegistration[]): Promise<RegistrationOutcome[]> => {
    const planned = planning.then(async () => {
      const before = [...pending];
      const p = await plan(deps, items, before, options);
      pending.push(p.effect);
      return { p, before, effect: p.effect };
    });
    planning = planned.catch(() => {});
    const done = appending.then(async () => {
      const { before, effect } = await planned;
      let { p } = await planned;
      try {
        if (before.some((w) => w.stale)) {
          effect.stale = true; // the batches decided against this plan decide again too
          p = await plan(deps, items, [], options);
        }
        if (await write(deps, items, p)) effect.stale = true;
        return p.outcomes;
      } catch (e) {
        effect.stale = true;
        throw e;
      } finally {
        pending.splice(pending.indexOf(effect), 1);
      }
    });
    appending = done.catch(() => {});
    return done;
  };
};
