import type { ClaimTarget } from './events.js';

/** Every registration the person has had, newest last; `releasedReason` once it stopped being active. */
export type ClaimHistoryEntry = ClaimTarget & { releasedReason?: string };

export type MyNumberClaimState = { active: ClaimTarget | null; history: ClaimHistoryEntry[] };

export const initialClaimState = (): MyNumberClaimState => ({ active: null, history: [] });
