import { evolveClaim, initialClaimState, myNumberClaimStream, type MyNumberClaimEvent } from '../domain/index.js';
import { myNumberHmac } from '../personal/myNumberHmac.js';
import type { LedgerDeps } from './ledgerDeps.js';

/** The nationwide reservation stream of one My Number (named by its HMAC, never the number). */
export const loadClaim = async (deps: LedgerDeps, myNumber: string) => {
  const stream = myNumberClaimStream(myNumberHmac(deps.hmacKey, myNumber));
  let state = initialClaimState();
  let version = 0n;
  for await (const e of deps.store.readStream(stream)) {
    state = evolveClaim(state, { type: e.type, data: e.data } as MyNumberClaimEvent);
    version = e.version;
  }
  return { stream, state, version };
};
