import { z } from 'zod';
import { signToken, Role } from '../api/auth.js';
import { loadKeys } from '../personal/keys.js';
import type { Command } from './commands.js';
import { MunicipalityOption, TtlOption, parseOptions, usageError } from './options.js';

const usage = 'vrs token --role R [--municipality CODE] [--site CODE] [--ttl 12h, at most VRS_TOKEN_MAX_TTL] [--sub NAME]';

const TokenOptions = z
  .object({
    role: z.enum(Role.options, { error: `must be one of ${Role.options.join(', ')}` }),
    municipality: MunicipalityOption.optional(),
    site: z.string().min(1).max(64).optional(),
    ttl: TtlOption.optional(),
    sub: z.string().min(1).max(200).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.role === 'municipality' && o.municipality === undefined) ctx.addIssue({ code: 'custom', path: ['municipality'], message: 'is required for role municipality' });
    if (o.role === 'site' && o.site === undefined) ctx.addIssue({ code: 'custom', path: ['site'], message: 'is required for role site' });
  });

export const tokenCommand: Command = {
  summary: 'print a JWT the server accepts: --role R [--municipality CODE] [--site CODE] [--ttl 12h, at most VRS_TOKEN_MAX_TTL] [--sub NAME]',
  options: { role: { type: 'string' }, municipality: { type: 'string' }, site: { type: 'string' }, ttl: { type: 'string' }, sub: { type: 'string' } },
  run: async ({ config, values }) => {
    const o = parseOptions(TokenOptions, values, usage);
    if (!o) return 2;
    if (o.ttl !== undefined && o.ttl > config.VRS_TOKEN_MAX_TTL) {
      return usageError([`--ttl: must be at most ${config.VRS_TOKEN_MAX_TTL} seconds (VRS_TOKEN_MAX_TTL); the server refuses longer tokens`], usage);
    }
    // 12 hours by default (a working day), or the configured cap when that is shorter.
    const ttl = o.ttl ?? Math.min(12 * 3600, config.VRS_TOKEN_MAX_TTL);
    const keys = await loadKeys(config);
    console.log(await signToken(keys.jwtSecret, { role: o.role, municipality: o.municipality, site: o.site, sub: o.sub }, ttl));
  },
};
