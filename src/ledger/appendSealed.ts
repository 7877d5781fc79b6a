import type { AppendResult, EventMetadata, ExpectedVersion, NewEvent } from '../eventstore/contract.js';
import { sealPersonal } from '../personal/personalCodec.js';
import type { LedgerDeps } from './ledgerDeps.js';

export type LedgerWrite = {
  stream: string;
  events: { type: string; data: object }[];
  expected: ExpectedVersion;
  /** Recipient streams carry personal fields: seal them with the stream's data key. */
  personal: boolean;
};

/** Seals personal fields and appends all writes atomically, with the same metadata on every event. */
export const appendSealed = async (deps: LedgerDeps, writes: LedgerWrite[], metadata: EventMetadata): Promise<AppendResult[]> => {
  const personal = writes.filter((w) => w.personal);
  // An existing stream's key is in the data-key cache (loading the stream just read it): no key INSERT per dose.
  const keys = new Map<string, Buffer>();
  for (const w of personal) {
    const known = w.expected === 'no_stream' ? null : await deps.dataKeys.get(w.stream);
    if (known) keys.set(w.stream, known);
  }
  const missing = personal.map((w) => w.stream).filter((s) => !keys.has(s));
  if (missing.length > 0) for (const [s, k] of await deps.dataKeys.forStreams(missing)) keys.set(s, k);
  return deps.store.appendMany(
    writes.map((w) => ({
      stream: w.stream,
      expected: w.expected,
      events: w.events.map(
        (e): NewEvent => ({
          type: e.type,
          data: w.personal ? sealPersonal(keys.get(w.stream)!, w.stream, e.data as Record<string, unknown>) : (e.data as Record<string, unknown>),
          metadata,
        }),
      ),
    })),
  );
};
