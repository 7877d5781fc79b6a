import { parseMyNumber, toVaccinationStatus } from '../domain/index.js';
import type { LedgerDeps } from './ledgerDeps.js';
import { loadClaim } from './loadClaim.js';
import { loadRecipient } from './loadRecipient.js';
import { orThrow } from './ledgerResult.js';

/**
 * Every registration the My Number ever held (through its claim stream), newest first, with status and doses;
 * never an erased one (unlinked from the claim since erasure; erased before that, it is left out here).
 */
export const lookupByMyNumber = async (deps: LedgerDeps, myNumber: string) => {
  const number = orThrow(parseMyNumber(myNumber, 'myNumber'));
  const claim = await loadClaim(deps, number);
  const streams = [...new Set(claim.state.history.map((h) => h.stream))].reverse();
  const registrations = [];
  for (const stream of streams) {
    const loaded = await loadRecipient(deps, stream);
    const view = toVaccinationStatus(loaded.state);
    if (!view || loaded.state.kind !== 'registered' || view.status === 'erased') continue;
    registrations.push({ municipality: loaded.state.municipality, coupon: loaded.state.coupon, status: view.status, doses: view.doses, stream });
  }
  return { registrations };
};
