import {
  decide,
  decideClaim,
  myNumberClaimStream,
  recipientStream,
  RegisterRecipient,
  fieldCodeOf,
  type DomainError,
  type MyNumberClaimEvent,
  type RecipientEvent,
} from '../domain/index.js';
import { loadClaim, type LedgerDeps } from '../ledger/index.js';
import { myNumberHmac } from '../personal/myNumberHmac.js';
import type { ImportedRecipient } from './normalizeRow.js';
import type { RejectedLine } from './importAnswer.js';
import { rowError, wholeLine } from './rowError.js';

/** One line that passed every rule: what to append for it. */
export type PlannedRow = {
  line: number;
  stream: string;
  events: RecipientEvent[];
  claim?: { stream: string; events: MyNumberClaimEvent[]; expected: 'no_stream' | bigint };
  /** Kept (in memory only) so the per-row fallback can decide the claim again. */
  myNumber?: string;
  municipality: string;
  coupon: string;
};

export type Plan = { planned: PlannedRow[]; duplicates: number; rejected: RejectedLine[] };

export const domainRejection = (line: number, e: DomainError): RejectedLine => ({
  line,
  errors: [rowError(typeof e.details?.field === 'string' ? e.details.field : wholeLine, e.code, e.message)],
});

const myNumberTaken = (line: number): RejectedLine => ({
  line,
  errors: [rowError('myNumber', 'MY_NUMBER_ALREADY_ACTIVE', 'myNumber: already registered and active (here, elsewhere, or on an earlier line of this file)')],
});

/** The shared register schema (the one POST /v1/recipients uses), applied to a normalised row. */
const parseCommand = (line: number, r: ImportedRecipient, today: string): RegisterRecipient | RejectedLine => {
  const parsed = RegisterRecipient.safeParse({ type: 'RegisterRecipient', today, ...r });
  if (parsed.success) return parsed.data;
  return {
    line,
    errors: parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? wholeLine);
      return rowError(field, fieldCodeOf(i), `${field}: ${i.message}`);
    }),
  };
};

const decideClaimFor = async (deps: LedgerDeps, line: number, stream: string, myNumber: string, m: string, c: string, existing: boolean) => {
  const claimStream = myNumberClaimStream(myNumberHmac(deps.hmacKey, myNumber));
  if (!existing) {
    return { ok: true as const, claim: { stream: claimStream, expected: 'no_stream' as const, events: [{ type: 'MyNumberClaimed' as const, data: { stream, municipality: m, coupon: c } }] } };
  }
  // Rare in a fresh import (a person registered before, e.g. moved or erased): fold the claim.
  const loaded = await loadClaim(deps, myNumber);
  const decided = decideClaim({ type: 'Claim', stream, municipality: m, coupon: c }, loaded.state);
  if (!decided.ok) return { ok: false as const, rejected: domainRejection(line, decided.error) };
  return { ok: true as const, claim: { stream: claimStream, expected: loaded.version === 0n ? ('no_stream' as const) : loaded.version, events: decided.value } };
};

/**
 * Decides a batch with the pure domain against the heads read in bulk: a recipient stream that exists is a
 * duplicate, a rule broken is a rejected line, a My Number held elsewhere or earlier in the batch is rejected.
 * `versionsOf` answers which of the given streams exist (one query for the whole batch).
 */
export const planImportRows = async (
  deps: LedgerDeps,
  rows: { line: number; recipient: ImportedRecipient }[],
  today: string,
  versionsOf: (streams: string[]) => Promise<Map<string, bigint>>,
): Promise<Plan> => {
  const plan: Plan = { planned: [], duplicates: 0, rejected: [] };
  const commands: { line: number; stream: string; command: RegisterRecipient }[] = [];
  for (const { line, recipient } of rows) {
    const command = parseCommand(line, recipient, today);
    if ('errors' in command) plan.rejected.push(command);
    else commands.push({ line, stream: recipientStream(command.municipality, command.coupon), command });
  }
  const existing = await versionsOf(commands.map((c) => c.stream));
  const seenStreams = new Set<string>();
  const decided: { line: number; stream: string; events: RecipientEvent[]; myNumber?: string; m: string; c: string }[] = [];
  for (const { line, stream, command } of commands) {
    // Already registered (an earlier import, a re-run, or an earlier line of this file): nobody twice.
    if (existing.has(stream) || seenStreams.has(stream)) {
      plan.duplicates++;
      continue;
    }
    const events = decide(command, { kind: 'empty' });
    if (!events.ok) {
      plan.rejected.push(domainRejection(line, events.error));
      continue;
    }
    seenStreams.add(stream);
    const data = events.value[0].data as { municipality: string; coupon: string; personal?: { myNumber?: string } | null };
    decided.push({ line, stream, events: events.value, myNumber: data.personal?.myNumber, m: data.municipality, c: data.coupon });
  }
  const claimStreams = decided.flatMap((d) => (d.myNumber ? [myNumberClaimStream(myNumberHmac(deps.hmacKey, d.myNumber))] : []));
  const existingClaims = await versionsOf(claimStreams);
  const seenClaims = new Set<string>();
  for (const d of decided) {
    const row: PlannedRow = { line: d.line, stream: d.stream, events: d.events, myNumber: d.myNumber, municipality: d.m, coupon: d.c };
    if (d.myNumber) {
      const claimStream = myNumberClaimStream(myNumberHmac(deps.hmacKey, d.myNumber));
      if (seenClaims.has(claimStream)) {
        plan.rejected.push(myNumberTaken(d.line));
        continue;
      }
      const claim = await decideClaimFor(deps, d.line, d.stream, d.myNumber, d.m, d.c, existingClaims.has(claimStream));
      if (!claim.ok) {
        plan.rejected.push(claim.rejected);
        continue;
      }
      seenClaims.add(claimStream);
      if (claim.claim.events.length > 0) row.claim = claim.claim;
    }
    plan.planned.push(row);
  }
  return plan;
};

export { decideClaimFor };
