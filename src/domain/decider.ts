import type { Result } from './result.js';

/**
 * An aggregate as one value, as Emmett's `Decider`: the events a command produces from a state (or the rule it
 * breaks: refusals are values here, not throws), how an event changes the state, and the state before any event.
 */
export type Decider<State, Command, Event> = {
  decide: (command: Command, state: State) => Result<Event[]>;
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

/** What folding needs of a decider (any command type). */
type Evolver<State, Event> = Pick<Decider<State, never, Event>, 'evolve' | 'initialState'>;

/** The state after `events`, from `state` (the decider's initial state unless given). */
export const fold = <State, Event>(decider: Evolver<State, Event>, events: Iterable<Event>, state: State = decider.initialState()): State => {
  for (const e of events) state = decider.evolve(state, e);
  return state;
};

/** A domain event as read from its stream: with its stream version and global position. */
export type StreamEvent<Event> = Event & { version: bigint; position: bigint };

/** A stream folded up to `version` (0n: no event yet); `position` is the global position of that event. */
export type FoldedStream<State> = { state: State; version: bigint; position: bigint };

/**
 * A stream's events (opened into domain events, each with its stream version and global position) folded onto
 * `from` (nothing yet, unless given). Events `from` already holds (version not above its version) are skipped, so
 * folding an overlapping range twice changes nothing. One loop for the ledger (per command) and the read models
 * (per rebuilt stream): it allocates nothing per event but what evolve does.
 */
export const foldStream = <State, Event>(
  decider: Evolver<State, Event>,
  events: Iterable<StreamEvent<Event>>,
  from?: FoldedStream<State>,
): FoldedStream<State> => {
  let state = from ? from.state : decider.initialState();
  let version = from ? from.version : 0n;
  let position = from ? from.position : 0n;
  for (const e of events) {
    if (e.version <= version) continue;
    state = decider.evolve(state, e);
    version = e.version;
    position = e.position;
  }
  return { state, version, position };
};
