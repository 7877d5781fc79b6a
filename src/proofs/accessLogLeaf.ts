import { canonicalJson } from '../eventstore/hashChain.js';

/** An access-log row as a leaf: who read which record through which endpoint, when. Canonical JSON. */
export type AccessEntry = { id: bigint; at: Date; actor: unknown; record: string; endpoint: string };

export const accessLeafText = (e: AccessEntry): string =>
  canonicalJson({ actor: e.actor, at: e.at.toISOString(), endpoint: e.endpoint, id: e.id.toString(), record: e.record });

export const accessLeafData = (e: AccessEntry): Buffer => Buffer.from(accessLeafText(e), 'utf8');
