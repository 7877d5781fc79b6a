import { describe, expect, it } from '@jest/globals';
import { MyNumberClaimEvent, decideClaim, foldClaim, type ClaimCommand } from '../../../src/domain/index.js';

const A = { stream: 'recipient-131016-0000000001', municipality: '131016', coupon: '0000000001' };
const B = { stream: 'recipient-141003-0000000002', municipality: '141003', coupon: '0000000002' };

const givenClaims = (...events: MyNumberClaimEvent[]) => ({
  when: (command: ClaimCommand) => decideClaim(command, foldClaim(events)),
});
const claimed = (t: typeof A): MyNumberClaimEvent => ({ type: 'MyNumberClaimed', data: t });

describe('one active registration per My Number', () => {
  it('a first claim is taken', () => {
    expect(givenClaims().when({ type: 'Claim', ...A })).toEqual({ ok: true, value: [claimed(A)] });
  });

  it('a claim while another registration is active is refused', () => {
    const r = givenClaims(claimed(A)).when({ type: 'Claim', ...B });
    expect(r.ok ? 'accepted' : r.error.code).toBe('MY_NUMBER_ALREADY_ACTIVE');
  });

  it('claiming again for the same registration writes nothing', () => {
    expect(givenClaims(claimed(A)).when({ type: 'Claim', ...A })).toEqual({ ok: true, value: [] });
  });

  it('after a release, another registration may claim; history keeps both', () => {
    const events: MyNumberClaimEvent[] = [claimed(A), { type: 'MyNumberReleased', data: { stream: A.stream, reason: 'erased' } }];
    expect(givenClaims(...events).when({ type: 'Claim', ...B })).toEqual({ ok: true, value: [claimed(B)] });
    const state = foldClaim([...events, claimed(B)]);
    expect(state.active).toEqual(B);
    expect(state.history).toEqual([{ ...A, releasedReason: 'erased' }, B]);
  });

  it('only the holder releases; others are no-ops', () => {
    expect(givenClaims(claimed(A)).when({ type: 'Release', stream: B.stream, reason: 'x' })).toEqual({ ok: true, value: [] });
    expect(givenClaims(claimed(A)).when({ type: 'Release', stream: A.stream, reason: 'x' })).toEqual({
      ok: true,
      value: [{ type: 'MyNumberReleased', data: { stream: A.stream, reason: 'x' } }],
    });
  });

  it('a transfer moves the claim from the holder to the new registration', () => {
    expect(givenClaims(claimed(A)).when({ type: 'Move', fromStream: A.stream, to: B })).toEqual({
      ok: true,
      value: [{ type: 'MyNumberReleased', data: { stream: A.stream, reason: 'transferred' } }, claimed(B)],
    });
    const r = givenClaims(claimed(B)).when({ type: 'Move', fromStream: A.stream, to: { ...B, stream: 'recipient-011002-0000000003' } });
    expect(r.ok ? 'accepted' : r.error.code).toBe('MY_NUMBER_ALREADY_ACTIVE');
    expect(givenClaims().when({ type: 'Move', fromStream: A.stream, to: B })).toEqual({ ok: true, value: [claimed(B)] });
  });

  it('erasure unlinks the registration: released if it held the number, gone from the history, claimable again', () => {
    const unlinked: MyNumberClaimEvent = { type: 'MyNumberUnlinked', data: { stream: A.stream } };
    expect(givenClaims(claimed(A)).when({ type: 'Unlink', stream: A.stream })).toEqual({ ok: true, value: [unlinked] });
    const state = foldClaim([claimed(A), unlinked]);
    expect(state).toEqual({ active: null, history: [] });
    expect(givenClaims(claimed(A), unlinked).when({ type: 'Claim', ...B })).toEqual({ ok: true, value: [claimed(B)] });
    expect(givenClaims(claimed(A), unlinked).when({ type: 'Claim', ...A })).toEqual({ ok: true, value: [claimed(A)] });
  });

  it('unlinking a registration the number moved away from keeps the holder and drops only the old one', () => {
    const moved: MyNumberClaimEvent[] = [claimed(A), { type: 'MyNumberReleased', data: { stream: A.stream, reason: 'transferred' } }, claimed(B)];
    const r = givenClaims(...moved).when({ type: 'Unlink', stream: A.stream });
    expect(r).toEqual({ ok: true, value: [{ type: 'MyNumberUnlinked', data: { stream: A.stream } }] });
    const state = foldClaim([...moved, ...(r.ok ? r.value : [])]);
    expect(state.active).toEqual(B);
    expect(state.history.map((h) => h.stream)).toEqual([B.stream]);
  });

  it('unlinking a registration the claim never knew, or twice, writes nothing', () => {
    expect(givenClaims(claimed(A)).when({ type: 'Unlink', stream: B.stream })).toEqual({ ok: true, value: [] });
    expect(givenClaims(claimed(A), { type: 'MyNumberUnlinked', data: { stream: A.stream } }).when({ type: 'Unlink', stream: A.stream })).toEqual({ ok: true, value: [] });
  });
});
