import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { loadConfig, type Config } from '../../src/runtime/config.js';
import { commands } from '../../src/cli/commands.js';
import { throwawayKeys } from '../support/throwawayKeys.js';
import { runCli, stackLine } from '../support/cli.js';
import { CHIYODA } from '../support/people.js';

/**
 * Bad arguments stop a command with exit status 2, a message naming the option and the usage line, no stack
 * trace, and before anything is opened: the database URL below points nowhere and VRS_DATA_DIR must stay empty.
 */
describe('vrs usage errors', () => {
  let dir: string;
  let dataDir: string;
  let csv: string;
  let config: Config;
  const nowhere = 'postgres://vrs@127.0.0.1:1/nowhere';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrs-cli-usage-'));
    dataDir = join(dir, 'data');
    await mkdir(dataDir);
    csv = join(dir, 'people.csv');
    await writeFile(csv, '券番号\r\n');
    // A week-long cap, so `--ttl 7d` below is accepted (the default cap, 12h, refuses it: test/e2e/attacks/tokens.test.ts).
    config = loadConfig({ DATABASE_URL: nowhere, VRS_DATA_DIR: dataDir, VRS_TOKEN_MAX_TTL: '7d', ...throwawayKeys() });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('through the real CLI: exit 2, the problem and the usage on stderr, nothing on stdout', async () => {
    const env = { DATABASE_URL: nowhere, VRS_DATA_DIR: dataDir };
    const cases: [string[], RegExp][] = [
      [['import', csv, '--municipality', CHIYODA, '--batch', 'abc'], /^--batch: .*\nusage: vrs import FILE/],
      [['token', '--role', 'municipality', '--municipality', CHIYODA, '--ttl', 'soon'], /^--ttl: must be a positive whole number/],
      [['export', '--municipality', '131017', '--encoding', 'shift_jis'], /^--municipality: .*check digit/],
      [['token', '--role', 'admin', '--bogus'], /^Unknown option '--bogus'.*\nusage: vrs token/s],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, env)));
    results.forEach((r, i) => {
      expect({ args: cases[i][0], code: r.code, stdout: r.stdout }).toEqual({ args: cases[i][0], code: 2, stdout: '' });
      expect(r.stderr).toMatch(cases[i][1]);
      expect(r.stderr).not.toMatch(stackLine);
    });
    expect(await readdir(dataDir)).toEqual([]); // no key file, no embedded cluster
  });

  const run = async (name: string, values: Record<string, string>, positionals: string[] = []) => {
    const errors: string[] = [];
    const output: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void output.push(a.join(' ')));
    try {
      return { code: await commands[name].run({ config, values, positionals }), stderr: errors.join('\n'), stdout: output.join('\n') };
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  };

  it.each([
    ['import', {}, [], /^FILE: the CSV file to import is required\n--municipality: is required/],
    ['import', { municipality: '13101' }, ['x.csv'], /^--municipality: .*6 digits/],
    ['import', { municipality: CHIYODA, charset: 'latin1' }, ['x.csv'], /^--charset: must be utf-8 or shift_jis/],
    ['import', { municipality: CHIYODA, batch: '0' }, ['x.csv'], /^--batch: /],
    ['import', { municipality: CHIYODA, batch: '1.5' }, ['x.csv'], /^--batch: /],
    ['import', { municipality: CHIYODA }, ['.'], /^FILE: cannot read \.: not a regular file/],
    ['token', {}, [], /^--role: must be one of municipality, site, ministry, auditor, admin/],
    ['token', { role: 'municipality' }, [], /^--municipality: is required for role municipality/],
    ['token', { role: 'site' }, [], /^--site: is required for role site/],
    ['token', { role: 'auditor', ttl: '0' }, [], /^--ttl: /],
    ['token', { role: 'auditor', ttl: '-5m' }, [], /^--ttl: /],
    ['token', { role: 'auditor', ttl: '12x' }, [], /^--ttl: /],
    ['export', { municipality: CHIYODA, encoding: 'latin1' }, [], /^--encoding: /],
    ['export', {}, [], /^--municipality: is required/],
    ['export', { municipality: CHIYODA, out: '/no/such/dir/ledger.csv' }, [], /^--out: cannot write \/no\/such\/dir\/ledger.csv: no such file or directory/],
  ] as [string, Record<string, string>, string[], RegExp][])('%s %j %j → exit 2', async (name, values, positionals, message) => {
    const r = await run(name, values, positionals);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(new RegExp(`\\nusage: vrs ${name} `));
    expect(r.stdout).toBe('');
  });

  it.each([
    ['90', 90],
    ['15m', 900],
    ['12 h', 43_200],
    ['7d', 604_800],
  ])('token --ttl %s lasts %i seconds', async (ttl, seconds) => {
    const r = await run('token', { role: 'auditor', ttl });
    expect(r.code).toBeUndefined();
    const claims = decodeJwt(r.stdout);
    expect(claims.exp! - claims.iat!).toBe(seconds);
  });
});
