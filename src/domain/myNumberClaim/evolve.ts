import type { MyNumberClaimEvent } from './events.js';
import type { MyNumberClaimState } from './state.js';

export const evolveClaim = (state: MyNumberClaimState, event: MyNumberClaimEvent): MyNumberClaimState => {
  switch (event.type) {
    case 'MyNumberClaimed':
      return { active: { ...event.data }, history: [...state.history, { ...event.data }] };
    case 'MyNumberReleased':
      return {
        active: state.active?.stream === event.data.stream ? null : state.active,
        history: state.history.map((h) =>
          h.stream === event.data.stream && h.releasedReason === undefined ? { ...h, releasedReason: event.data.reason } : h,
        ),
      };
    case 'MyNumberUnlinked':
      return {
        active: state.active?.stream === event.data.stream ? null : state.active,
        history: state.history.filter((h) => h.stream !== event.data.stream),
      };
  }
};
