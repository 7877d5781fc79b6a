import type { AppendResult, EventMetadata, ExpectedVersion, NewEvent, StreamWrite } from '../eventstore/contract.js';
import { sealPersonal } from '../personal/personalCodec.js';
import type { LedgerDeps } from './ledgerDeps.js';

export type LedgerWrite = {
  stream: string;
  events: { type: string; data: object }[];
  expected: ExpectedVersion;
  /** Recipient streams carry personal fields: seal them with the stream's data key. */
  personal: boolean;
  /** The head as just loaded: saves the store a read. */
  head?: StreamWrite['head'];
};

/** Seals personal fields and appends all writes atomically, with the same metadata on every event. */
export const appendSealed = async (deps: LedgerDeps, writes: LedgerWrite[], metadata: EventMetadata): Promise<AppendResult[]> => {
  const personal = writes.filter((w) => w.personal).map((w) => w.stream);
  // Cached keys (loading the stream just read them) cost no query; new streams get theirs in one statement.
  const keys = personal.length > 0 ? await deps.dataKeys.forStreams(personal) : new Map<string, Buffer>();
  return deps.store.appendMany(
    writes.map((w) => ({
      stream: w.stream,
      expected: w.expected,
      head: w.head,
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
