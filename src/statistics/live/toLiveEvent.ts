import type { RecordedEvent } from '../../eventstore/contract.js';
import { countDeltasOf } from '../../projections/statistics/countDeltas.js';
import type { LiveEvent } from './liveTypes.js';

export const toLiveEvent = (e: RecordedEvent): LiveEvent => ({ checkpoint: e.checkpoint, position: e.position, deltas: countDeltasOf([e]) });
