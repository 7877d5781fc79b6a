import { evolve, initialState, type RecipientEvent, type RecipientState } from '../../domain/index.js';
import { rowToState, stateToRow, type StatusRow } from './statusRow.js';

export type StreamEvent = { event: RecipientEvent; version: bigint; position: bigint };

/**
 * Pure: the row after folding a stream's new events onto its current row. Events the row already holds
 * (version not above the row's) are skipped, so applying an overlapping range twice changes nothing.
 */
export const foldStream = (stream: string, current: StatusRow | undefined, events: StreamEvent[]): StatusRow | null => {
  let state: RecipientState = current ? rowToState(current) : initialState();
  let version = current?.version ?? 0n;
  let position = current?.position ?? 0n;
  for (const e of events) {
    if (e.version <= version) continue;
    state = evolve(state, e.event);
    version = e.version;
    position = e.position;
  }
  if (state.kind !== 'registered') return null;
  if (current && version === current.version) return null;
  return stateToRow(stream, state, version, position);
};
