import type { RecipientEvent } from '../domain/index.js';
import type { BulkEvent } from '../eventstore/contract.js';
import { openPersonal } from './personalCodec.js';

/**
 * Stored event → domain event: the personal fields opened with the stream's data key (`personal: null` once the
 * key is erased: unreadable, never an error), the stored fields (version, position, metadata…) kept beside them.
 * The one reader of a recipient stream's events, for the ledger and the read models alike.
 */
export const openEvent = <T extends Pick<BulkEvent, 'stream' | 'type' | 'data'>>(key: Buffer | null, e: T): T & RecipientEvent =>
  ({ ...e, data: openPersonal(key, e.stream, e.data) }) as T & RecipientEvent;
