import { z } from 'zod';

export const AccountRole = z.enum(['municipality', 'site', 'ministry', 'auditor', 'admin']);
export type AccountRole = z.infer<typeof AccountRole>;

/** Lower-case letters, digits, `.`, `_`, `-`: a username is an actor `sub` and appears in audit logs. */
export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be 2–64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

export const Password = z.string().min(12, 'must be at least 12 characters').max(256, 'must be at most 256 characters');

export const SiteCode = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');

/** A municipality user names its municipality, a site user its site, others neither (the console's form and `vrs user add`). */
export const refineUserScope = (u: { role: AccountRole; municipality?: string; site?: string }, c: z.RefinementCtx) => {
  if (u.role === 'municipality' && !u.municipality) c.addIssue({ code: 'custom', path: ['municipality'], message: 'is required for role municipality' });
  if (u.role !== 'municipality' && u.municipality) c.addIssue({ code: 'custom', path: ['municipality'], message: 'is only for role municipality' });
  if (u.role === 'site' && !u.site) c.addIssue({ code: 'custom', path: ['site'], message: 'is required for role site' });
  if (u.role !== 'site' && u.site) c.addIssue({ code: 'custom', path: ['site'], message: 'is only for role site' });
};
