import { fold, type Decider } from '../decider.js';
import { decideClaim, type ClaimCommand } from './decide.js';
import type { MyNumberClaimEvent } from './events.js';
import { evolveClaim } from './evolve.js';
import { initialClaimState, type MyNumberClaimState } from './state.js';

/** The nationwide reservation stream `mynumber-<hmac>`: one active registration per My Number. */
export const myNumberClaimDecider: Decider<MyNumberClaimState, ClaimCommand, MyNumberClaimEvent> = {
  decide: decideClaim,
  evolve: evolveClaim,
  initialState: initialClaimState,
};

export const foldClaim = (events: Iterable<MyNumberClaimEvent>): MyNumberClaimState => fold(myNumberClaimDecider, events);
