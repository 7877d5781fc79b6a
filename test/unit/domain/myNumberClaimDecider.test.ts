import { describe, expect, it } from '@jest/globals';
import { myNumberClaimDecider, type MyNumberClaimEvent } from '../../../src/domain/index.js';
import { deciderSpec } from './support/deciderSpec.js';

const given = deciderSpec(myNumberClaimDecider);
const A = { stream: 'recipient-131016-0000000001', municipality: '131016', coupon: '0000000001' };
const B = { stream: 'recipient-141003-0000000002', municipality: '141003', coupon: '0000000002' };
const claimed = (t: typeof A): MyNumberClaimEvent => ({ type: 'MyNumberClaimed', data: t });

describe('myNumberClaimDecider: given events, when a command, then events or a refusal', () => {
  it('starts with no holder and no history', () => {
    expect(myNumberClaimDecider.initialState()).toEqual({ active: null, history: [] });
  });

  it('given nothing, when Claim, then MyNumberClaimed', () => {
    given().when({ type: 'Claim', ...A }).then([claimed(A)]);
  });

  it('given a holder, when another registration claims, then MY_NUMBER_ALREADY_ACTIVE', () => {
    given(claimed(A)).when({ type: 'Claim', ...B }).thenRefuses('MY_NUMBER_ALREADY_ACTIVE', 'myNumber');
  });

  it('given a holder, when it claims again, then nothing', () => {
    given(claimed(A)).when({ type: 'Claim', ...A }).then([]);
  });

  it('given a holder, when it moves (transfer), then released and claimed by the new registration', () => {
    given(claimed(A))
      .when({ type: 'Move', fromStream: A.stream, to: B })
      .then([{ type: 'MyNumberReleased', data: { stream: A.stream, reason: 'transferred' } }, claimed(B)]);
  });

  it('given a holder, when another registration moves in, then MY_NUMBER_ALREADY_ACTIVE', () => {
    given(claimed(A)).when({ type: 'Move', fromStream: 'recipient-999999-0000000009', to: B }).thenRefuses('MY_NUMBER_ALREADY_ACTIVE');
  });

  it('given an unlinked holder (erasure), when another registration claims, then it is taken', () => {
    given(claimed(A), { type: 'MyNumberUnlinked', data: { stream: A.stream } }).when({ type: 'Claim', ...B }).then([claimed(B)]);
  });

  it('given a released holder, when Release again, then nothing', () => {
    given(claimed(A), { type: 'MyNumberReleased', data: { stream: A.stream, reason: 'x' } }).when({ type: 'Release', stream: A.stream, reason: 'x' }).then([]);
  });
});
