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

/**
 * The store's writes of ledger writes: personal fields sealed with each stream's data key, each write's metadata on
 * every one of its events. `cacheKeys: false` for a bulk load, whose new keys are not needed again soon.
 */
export const sealWrites = async (
  deps: LedgerDeps,
  writes: (LedgerWrite & { metadata: EventMetadata })[],
  { cacheKeys = true } = {},
): Promise<StreamWrite[]> => {
  const personal = writes.filter((w) => w.personal).map((w) => w.stream);
  // Cached keys (loading the stream just read them) cost no query; new streams get theirs in one statement.
  const keys = personal.length > 0 ? await deps.dataKeys.forStreams(personal, { cache: cacheKeys }) : new Map<string, Buffer>();
  return writes.map((w) => ({
    stream: w.stream,
    expected: w.expected,
    head: w.head,
    events: w.events.map(
      (e): NewEvent => ({
        type: e.type,
        data: w.personal ? sealPersonal(keys.get(w.stream)!, w.stream, e.data as Record<string, unknown>) : (e.data as Record<string, unknown>),
        metadata: w.metadata,
      }),
    ),
  }));
};

/** Seals personal fields and appends all writes atomically, with the same metadata on every event. */
export const appendSealed = async (deps: LedgerDeps, writes: LedgerWrite[], metadata: EventMetadata): Promise<AppendResult[]> =>
  deps.store.appendMany(await sealWrites(deps, writes.map((w) => ({ ...w, metadata }))));
