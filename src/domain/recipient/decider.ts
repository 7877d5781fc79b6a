import { fold, type Decider } from '../decider.js';
import type { RecipientCommand } from './commands.js';
import { decide } from './decide.js';
import type { RecipientEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type RecipientState } from './state.js';

/** The recipient stream `recipient-<municipality>-<coupon>` (a transfer, deciding on two streams, is decideTransfer). */
export const recipientDecider: Decider<RecipientState, RecipientCommand, RecipientEvent> = { decide, evolve, initialState };

export const foldRecipient = (events: Iterable<RecipientEvent>, from?: RecipientState): RecipientState => fold(recipientDecider, events, from);
