import { z } from 'zod';

/**
 * The reservation stream `mynumber-<hmac>` keeps "one active registration per My Number"
 * nationwide; the persistence layer appends it in the same transaction as the recipient stream.
 */
export const ClaimTarget = z.object({ stream: z.string(), municipality: z.string(), coupon: z.string() });
export type ClaimTarget = z.infer<typeof ClaimTarget>;

export const MyNumberClaimed = z.object({ type: z.literal('MyNumberClaimed'), data: ClaimTarget });
export const MyNumberReleased = z.object({
  type: z.literal('MyNumberReleased'),
  data: z.object({ stream: z.string(), reason: z.string() }),
});

/**
 * The registration's personal data was erased: the number no longer leads to it (look-up, transfer) and, if it
 * held the number, the number is free to be registered again. The registration leaves the history.
 */
export const MyNumberUnlinked = z.object({
  type: z.literal('MyNumberUnlinked'),
  data: z.object({ stream: z.string() }),
});

export const MyNumberClaimEvent = z.discriminatedUnion('type', [MyNumberClaimed, MyNumberReleased, MyNumberUnlinked]);
export type MyNumberClaimEvent = z.infer<typeof MyNumberClaimEvent>;

export const myNumberClaimStream = (hmac: string): string => `mynumber-${hmac}`;
