import { z } from 'zod';
import { parseMunicipalityCode } from '../domain/index.js';
import { durationSeconds } from '../runtime/config.js';

/** A 全国地方公共団体コード (6 digits, valid check digit; full-width digits accepted). */
export const MunicipalityOption = z.string({ error: 'is required' }).transform((s, ctx) => {
  const code = parseMunicipalityCode(s, 'municipality code');
  if (code.ok) return code.value;
  ctx.addIssue({ code: 'custom', message: `${code.error.message} (6 digits with a valid check digit, e.g. 131016)` });
  return z.NEVER;
});

/** A token lifetime: a positive whole number of s, m, h, d or w (bare: seconds) → seconds. */
export const TtlOption = durationSeconds;

/** Why a path given as an argument cannot be used, in words (the errno code when there are none). */
export const pathProblem = (e: NodeJS.ErrnoException): string =>
  ({ ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'a parent is not a directory' })[e.code ?? ''] ?? e.message;

/** Option names print as `--name`; positional arguments are schema keys in capitals (`FILE`). */
const label = (path: PropertyKey[]) => (path.length === 0 ? 'arguments' : /^[A-Z]+$/.test(String(path[0])) ? String(path[0]) : `--${path.join('.')}`);

/** Prints a usage error: the problems, then the command's usage line. Returns exit status 2. */
export const usageError = (problems: string[], usage: string): 2 => {
  console.error([...problems, `usage: ${usage}`].join('\n'));
  return 2;
};

/**
 * Validates a command's arguments with zod before anything is opened. On failure prints each problem (naming
 * the option) and the usage line, and returns undefined: the command then exits with status 2.
 */
export const parseOptions = <T extends z.ZodType>(schema: T, input: unknown, usage: string): z.output<T> | undefined => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  usageError(parsed.error.issues.map((i) => `${label(i.path)}: ${i.message}`), usage);
  return undefined;
};
