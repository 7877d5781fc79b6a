import { foldStream, recipientDecider, type RecipientEvent, type StreamEvent } from '../../domain/index.js';
import { rowToState, stateToRow, type StatusRow } from './statusRow.js';

/**
 * Pure: the row after folding a stream's new events onto its current row (events the row already holds are
 * skipped, so applying an overlapping range twice changes nothing); null when there is nothing to write.
 */
export const foldStatusRow = (stream: string, current: StatusRow | undefined, events: Iterable<StreamEvent<RecipientEvent>>): StatusRow | null => {
  const from = current ? { state: rowToState(current), version: current.version, position: current.position } : undefined;
  const { state, version, position } = foldStream(recipientDecider, events, from);
  if (state.kind !== 'registered') return null;
  if (current && version === current.version) return null;
  return stateToRow(stream, state, version, position);
};
