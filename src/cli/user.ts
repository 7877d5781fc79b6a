import { userInfo } from 'node:os';
import { z } from 'zod';
import { AccountError, AccountRole, addUser, disableUser, generatePassword, listUsers, refineUserScope, unlockUser, Password, SiteCode, Username } from '../accounts/index.js';
import type { Command } from './commands.js';
import { MunicipalityOption, parseOptions, usageError } from './options.js';
import { openRuntime, type Runtime } from '../runtime/openRuntime.js';
import type { Config } from '../runtime/config.js';

const usage = 'vrs user add --username NAME --role R [--municipality CODE] [--site CODE]  (password on stdin, or generated)\n       vrs user disable --username NAME\n       vrs user unlock --username NAME\n       vrs user list';

const AddOptions = z
  .object({ username: Username, role: z.enum(AccountRole.options, { error: `must be one of ${AccountRole.options.join(', ')}` }), municipality: MunicipalityOption.optional(), site: SiteCode.optional() })
  .strict()
  .superRefine(refineUserScope);
const UsernameOptions = z.object({ username: Username }).strict();

/** The password from standard input (its first line), never from an argument; empty or a terminal → none. */
const readPassword = async (): Promise<string | undefined> => {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  return line === '' ? undefined : line;
};

const by = () => `cli:${userInfo().username}`;

/** `vrs user add|disable|list`: console users (named people; role, municipality and site come from here). */
/** Runs an account change on a runtime of its own: 0 when done, 1 with the message of a refused change (AccountError). */
const accountCommand = async (config: Config, run: (rt: Runtime) => Promise<void>): Promise<number> => {
  const rt = await openRuntime(config);
  try {
    await run(rt);
    return 0;
  } catch (e) {
    if (e instanceof AccountError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    await rt.close();
  }
};

export const userCommand: Command = {
  summary: 'console users: add --username NAME --role R [--municipality CODE] [--site CODE] (password on stdin or generated) | disable --username NAME | unlock --username NAME | list',
  options: { username: { type: 'string' }, role: { type: 'string' }, municipality: { type: 'string' }, site: { type: 'string' } },
  run: async ({ config, values, positionals }) => {
    const [sub, ...extra] = positionals;
    if (extra.length > 0 || !['add', 'disable', 'unlock', 'list'].includes(sub ?? '')) return usageError([sub ? `unknown subcommand: ${sub}` : 'a subcommand is required'], usage);
    if (sub === 'add') {
      const o = parseOptions(AddOptions, values, usage);
      if (!o) return 2;
      const typed = await readPassword();
      if (typed !== undefined) {
        const p = Password.safeParse(typed);
        if (!p.success) return usageError([`password (stdin): ${p.error.issues[0].message}`], usage);
      }
      const password = typed ?? generatePassword();
      return accountCommand(config, async (rt) => {
        const user = await addUser(rt.pool, { ...o, password }, by());
        console.log(`added ${user.username} (${user.role}${user.municipality ? ` ${user.municipality}` : ''}${user.site ? ` ${user.site}` : ''})`);
        if (typed === undefined) console.log(`password (shown once): ${password}`);
      });
    }
    if (sub === 'disable') {
      const o = parseOptions(UsernameOptions, { username: values.username }, usage);
      if (!o) return 2;
      return accountCommand(config, async (rt) => {
        const user = await disableUser(rt.pool, o.username, by());
        console.log(`disabled ${user.username}; their sessions are ended`);
      });
    }
    if (sub === 'unlock') {
      const o = parseOptions(UsernameOptions, { username: values.username }, usage);
      if (!o) return 2;
      return accountCommand(config, async (rt) => {
        const user = await unlockUser(rt.pool, o.username, by());
        console.log(`unlocked ${user.username}: earlier failed sign-ins no longer count`);
      });
    }
    const rt = await openRuntime(config);
    try {
      for (const u of await listUsers(rt.pool)) {
        console.log([u.username, u.role, u.municipality ?? u.site ?? '-', u.disabledAt ? `disabled ${u.disabledAt}` : 'active'].join('\t'));
      }
      return 0;
    } finally {
      await rt.close();
    }
  },
};
