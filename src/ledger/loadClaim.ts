import { foldStream, myNumberClaimDecider, myNumberClaimStream, type MyNumberClaimEvent } from '../domain/index.js';
import type { RecordedEvent } from '../eventstore/contract.js';
import { myNumberHmac } from '../personal/myNumberHmac.js';
import type { LedgerDeps } from './ledgerDeps.js';

/** The nationwide reservation stream of one My Number (named by its HMAC, never the number). */
export const loadClaim = async (deps: LedgerDeps, myNumber: string) => {
  const stream = myNumberClaimStream(myNumberHmac(deps.hmacKey, myNumber));
  const stored: RecordedEvent[] = [];
  for await (const e of deps.store.readStream(stream)) stored.push(e);
  // Nothing in a claim stream is sealed: its stored events are the claim's events as they are.
  const { state, version } = foldStream(myNumberClaimDecider, stored as (RecordedEvent & MyNumberClaimEvent)[]);
  return { stream, state, version };
};
