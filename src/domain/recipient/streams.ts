/** Stream names fixed by DESIGN: one recipient stream per municipality and coupon. */
export const recipientStream = (municipality: string, coupon: string): string => `recipient-${municipality}-${coupon}`;

export const parseRecipientStream = (stream: string): { municipality: string; coupon: string } | null => {
  const m = /^recipient-(\d{6})-(\d{10})$/.exec(stream);
  return m ? { municipality: m[1], coupon: m[2] } : null;
};
