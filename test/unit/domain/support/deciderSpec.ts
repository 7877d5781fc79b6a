import { expect } from '@jest/globals';
import { fold, type Decider, type DomainErrorCode } from '../../../../src/domain/index.js';

/**
 * Given/when/then through a decider value, as Emmett's DeciderSpecification: the events so far are folded with the
 * decider's own evolve from its own initial state, and the command is decided on that state. No database.
 */
export const deciderSpec =
  <State, Command, Event>(decider: Decider<State, Command, Event>) =>
  (...events: Event[]) => ({
    when: (command: Command) => {
      const state = fold(decider, events);
      const result = decider.decide(command, state);
      return {
        state,
        result,
        /** Exactly these events (an empty list: the command changes nothing). */
        then: (expected: Event[]) => expect(result).toEqual({ ok: true, value: expected }),
        /** Refused with this code (and, when given, naming this field). */
        thenRefuses: (code: DomainErrorCode, field?: string) => {
          expect(result.ok ? `accepted: ${JSON.stringify(result.value)}` : result.error.code).toBe(code);
          if (field !== undefined && !result.ok) expect(result.error.details?.field).toBe(field);
        },
        /** Accepted; the events, for assertions on part of them. */
        events: (): Event[] => {
          if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
          return result.value;
        },
      };
    },
  });
