import { fieldCodeOf, RegisterRecipient, type DomainError } from '../domain/index.js';
import type { Actor } from '../eventstore/contract.js';
import { commandContext, type BatchRegistration, type LedgerDeps, type RegisterInput, type RegistrationOutcome } from '../ledger/index.js';
import type { ImportedRecipient } from './normalizeRow.js';
import type { ImportLine } from './readRecipientCsv.js';
import type { BatchOutcome, RejectedLine } from './importAnswer.js';
import { rowError, wholeLine } from './rowError.js';

/** Import writes through the ledger's batch path (src/ledger/registerRecipients.ts). */
export type ImportDeps = LedgerDeps;

export type ImportContext = {
  actor: Actor;
  /** When the import started: its Tokyo calendar day refuses later birth dates, as in POST /v1/recipients. */
  now: Date;
  /** Tokyo calendar day of `now`. */
  today: string;
  /** Correlates every event of one import run. */
  importId: string;
};

/**
 * Deterministic per row: a re-run of the same file (after a crash, or twice on purpose) offers the store the same
 * command id, so even a race between two runs registers each person once.
 */
export const importCommandId = (municipality: string, coupon: string) => `import:${municipality}:${coupon}`;

const domainRejection = (line: number, e: DomainError): RejectedLine => ({
  line,
  errors: [rowError(typeof e.details?.field === 'string' ? e.details.field : wholeLine, e.code, e.message)],
});

/** The file's own repeat, said as such (the same code as a number held elsewhere). */
const myNumberTaken = (line: number): RejectedLine => ({
  line,
  errors: [rowError('myNumber', 'MY_NUMBER_ALREADY_ACTIVE', 'myNumber: already registered and active (here, elsewhere, or on an earlier line of this file)')],
});

/** The shared register schema (the one POST /v1/recipients uses), applied to a normalised row. */
const parseCommand = (line: number, r: ImportedRecipient, today: string): RegisterInput | RejectedLine => {
  const parsed = RegisterRecipient.safeParse({ type: 'RegisterRecipient', today, ...r });
  if (parsed.success) {
    const { type: _type, today: _today, ...input } = parsed.data;
    return input;
  }
  return {
    line,
    errors: parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? wholeLine);
      return rowError(field, fieldCodeOf(i), `${field}: ${i.message}`);
    }),
  };
};

/**
 * Appends one batch of parsed lines through the ledger's batch path: every row decided as POST /v1/recipients
 * decides it, then every new registration and claim of the batch in ONE bulk append (src/ledger/registerRecipients.ts). A crash therefore leaves whole
 * batches, and a re-run counts those rows as duplicates (their streams exist).
 */
export const appendImportBatch = async (
  /** The ledger's batch path: registerRecipients, or a registrationPipeline's step. */
  register: (items: BatchRegistration[]) => Promise<RegistrationOutcome[]>,
  batch: ImportLine[],
  c: ImportContext,
): Promise<BatchOutcome> => {
  const outcome: BatchOutcome = { imported: 0, duplicates: 0, rejected: [], lastLine: batch.at(-1)?.line ?? 0 };
  const rows: { line: number; input: RegisterInput }[] = [];
  for (const l of batch) {
    if (!l.ok) {
      outcome.rejected.push({ line: l.line, errors: l.errors, ...(l.endLine !== undefined ? { endLine: l.endLine } : {}) });
      continue;
    }
    const input = parseCommand(l.line, l.recipient, c.today);
    if ('errors' in input) outcome.rejected.push(input);
    else rows.push({ line: l.line, input });
  }
  // The same actor, correlation and clock for every row (today and the ISO time worked out once): each row its own command id.
  const shared = commandContext(c.actor, undefined, c.importId, c.now);
  const outcomes = await register(rows.map(({ input }) => ({ input, context: { ...shared, commandId: importCommandId(input.municipality, input.coupon) } })));
  outcomes.forEach((o, i) => {
    if (o.kind === 'registered') outcome.imported++;
    else if (o.kind === 'exists') outcome.duplicates++;
    else outcome.rejected.push(o.earlierInBatch ? myNumberTaken(rows[i].line) : domainRejection(rows[i].line, o.error));
  });
  outcome.rejected.sort((a, b) => a.line - b.line);
  return outcome;
};
