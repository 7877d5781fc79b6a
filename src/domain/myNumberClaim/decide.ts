import { DomainError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import type { ClaimTarget, MyNumberClaimEvent } from './events.js';
import type { MyNumberClaimState } from './state.js';

export type ClaimCommand =
  | ({ type: 'Claim' } & ClaimTarget)
  | { type: 'Release'; stream: string; reason: string }
  | { type: 'Move'; fromStream: string; to: ClaimTarget }
  | { type: 'Unlink'; stream: string };

const alreadyActive = () =>
  err(
    new DomainError('MY_NUMBER_ALREADY_ACTIVE', 'myNumber: already registered and active in another municipality or coupon', {
      field: 'myNumber',
    }),
  );

/**
 * Claim: refused while another registration holds the number; claiming again for the same stream
 * writes nothing. Release: only the holder releases; anything else is a no-op. Move (transfer):
 * the holder hands over to the new stream; with no holder it is a plain claim. Unlink (erasure): the
 * registration leaves the claim altogether, released if it held the number; nothing if the claim never knew it.
 */
export const decideClaim = (command: ClaimCommand, state: MyNumberClaimState): Result<MyNumberClaimEvent[]> => {
  const active = state.active;
  switch (command.type) {
    case 'Claim': {
      if (active?.stream === command.stream) return ok([]);
      if (active) return alreadyActive();
      const { stream, municipality, coupon } = command;
      return ok([{ type: 'MyNumberClaimed', data: { stream, municipality, coupon } }]);
    }
    case 'Release':
      if (active?.stream !== command.stream) return ok([]);
      return ok([{ type: 'MyNumberReleased', data: { stream: command.stream, reason: command.reason } }]);
    case 'Unlink':
      if (active?.stream !== command.stream && !state.history.some((h) => h.stream === command.stream)) return ok([]);
      return ok([{ type: 'MyNumberUnlinked', data: { stream: command.stream } }]);
    case 'Move': {
      if (active?.stream === command.to.stream) return ok([]);
      if (active && active.stream !== command.fromStream) return alreadyActive();
      const claimed: MyNumberClaimEvent = { type: 'MyNumberClaimed', data: { ...command.to } };
      return ok(active ? [{ type: 'MyNumberReleased', data: { stream: command.fromStream, reason: 'transferred' } }, claimed] : [claimed]);
    }
  }
};
