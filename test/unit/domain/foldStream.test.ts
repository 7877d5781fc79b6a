import { describe, expect, it } from '@jest/globals';
import { foldStream, myNumberClaimDecider, type MyNumberClaimEvent, type StreamEvent } from '../../../src/domain/index.js';

const A = { stream: 'recipient-131016-0000000001', municipality: '131016', coupon: '0000000001' };
const B = { stream: 'recipient-141003-0000000002', municipality: '141003', coupon: '0000000002' };
const at = (version: bigint, position: bigint, e: MyNumberClaimEvent): StreamEvent<MyNumberClaimEvent> => ({ ...e, version, position });
const events = [
  at(1n, 10n, { type: 'MyNumberClaimed', data: A }),
  at(2n, 15n, { type: 'MyNumberReleased', data: { stream: A.stream, reason: 'transferred' } }),
  at(3n, 15n, { type: 'MyNumberClaimed', data: B }),
];

describe('foldStream: a stream read from the store, folded with a decider', () => {
  it('an empty stream is the initial state at version 0', () => {
    expect(foldStream(myNumberClaimDecider, [])).toEqual({ state: { active: null, history: [] }, version: 0n, position: 0n });
  });

  it('folds every event, ending at the last one’s version and position', () => {
    const folded = foldStream(myNumberClaimDecider, events);
    expect(folded.version).toBe(3n);
    expect(folded.position).toBe(15n);
    expect(folded.state.active).toEqual(B);
  });

  it('folded on from a point, skips the events that point already holds: an overlapping range changes nothing', () => {
    const first = foldStream(myNumberClaimDecider, events.slice(0, 2));
    const again = foldStream(myNumberClaimDecider, events, first);
    expect(again).toEqual(foldStream(myNumberClaimDecider, events));
    expect(foldStream(myNumberClaimDecider, events.slice(0, 2), first)).toEqual(first);
  });
});
