import { signToken, Role } from '../api/auth.js';
import { loadKeys } from '../personal/keys.js';
import type { Command } from './commands.js';

export const tokenCommand: Command = {
  summary: 'print a JWT the server accepts: --role R [--municipality CODE] [--site CODE] [--ttl 12h] [--sub NAME]',
  options: { role: { type: 'string' }, municipality: { type: 'string' }, site: { type: 'string' }, ttl: { type: 'string' }, sub: { type: 'string' } },
  run: async ({ config, values }) => {
    const role = Role.safeParse(values.role);
    if (!role.success) {
      console.error(`--role must be one of ${Role.options.join(', ')}`);
      return 2;
    }
    const municipality = values.municipality as string | undefined;
    const site = values.site as string | undefined;
    if (role.data === 'municipality' && !/^\d{6}$/.test(municipality ?? '')) {
      console.error('--municipality CODE (6 digits) is required for role municipality');
      return 2;
    }
    if (role.data === 'site' && !site) {
      console.error('--site CODE is required for role site');
      return 2;
    }
    const keys = await loadKeys(config);
    console.log(await signToken(keys.jwtSecret, { role: role.data, municipality, site, sub: values.sub as string | undefined }, (values.ttl as string) ?? '12h'));
  },
};
