import type { EventStore } from '../eventstore/contract.js';
import type { DataKeys } from '../personal/dataKeys.js';

/** What the command side needs: the store, the per-recipient data keys and the My Number HMAC key. */
export type LedgerDeps = { store: EventStore; dataKeys: DataKeys; hmacKey: Buffer };
