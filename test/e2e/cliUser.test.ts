import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import argon2 from 'argon2';
import { createTestDatabase } from '../support/database.js';
import { runCli, stackLine, type CliResult } from '../support/cli.js';
import { throwawayKeys } from '../support/throwawayKeys.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `vrs user …` with `input` on standard input (the way a password is given). */
const withStdin = (args: string[], env: Record<string, string>, input: string) =>
  new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });

describe('vrs user add | disable | unlock | list', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let pool: pg.Pool;
  const hashOf = async (username: string) => (await pool.query<{ password_hash: string }>('SELECT password_hash FROM console_users WHERE username = $1', [username])).rows[0]?.password_hash;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'vrs-cli-user-'));
    env = { DATABASE_URL: db.url, VRS_DATA_DIR: dataDir, ...throwawayKeys() };
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates a password when none is on stdin, prints it once, and stores only its argon2id hash', async () => {
    const r = await runCli(['user', 'add', '--username', 'clerk1', '--role', 'municipality', '--municipality', '131016'], env);
    expect(r.code).toBe(0);
    const password = /password \(shown once\): ([A-Za-z0-9]{20})\n/.exec(r.stdout)?.[1];
    expect(password).toBeDefined();
    const hash = await hashOf('clerk1');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(hash!, password!)).toBe(true);
  });

  it('takes the password from stdin and does not print it', async () => {
    const r = await withStdin(['user', 'add', '--username', 'nurse1', '--role', 'site', '--site', 'S001'], env, 'a long enough passphrase\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('added nurse1 (site S001)\n');
    expect(await argon2.verify((await hashOf('nurse1'))!, 'a long enough passphrase')).toBe(true);
    const short = await withStdin(['user', 'add', '--username', 'nurse2', '--role', 'site', '--site', 'S001'], env, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('password (stdin): must be at least 12 characters');
    expect(short.stderr).not.toContain('short\n');
  });

  it('names each bad option and exits 2 without a stack; a password argument is refused; a duplicate exits 1', async () => {
    const bad = await runCli(['user', 'add', '--username', 'X', '--role', 'site'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--username: must be 2–64 characters/);
    expect(bad.stderr).toMatch(/--site: is required for role site/);
    expect(bad.stderr).not.toMatch(stackLine);
    const arg = await runCli(['user', 'add', '--username', 'x1', '--role', 'ministry', '--password', 'hunter2hunter2'], env);
    expect(arg.code).toBe(2);
    expect(await hashOf('x1')).toBeUndefined();
    const dup = await runCli(['user', 'add', '--username', 'clerk1', '--role', 'auditor'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('a user named clerk1 already exists');
  });

  it('disables a user and lists who is active', async () => {
    expect((await runCli(['user', 'disable', '--username', 'nurse1'], env)).code).toBe(0);
    const list = await runCli(['user', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^clerk1\tmunicipality\t131016\tactive\nnurse1\tsite\tS001\tdisabled \S+\n$/);
    expect((await runCli(['user', 'disable', '--username', 'nobody'], env)).code).toBe(1);
  });

  it('unlocks a user: the sign-in log says who, and an unknown username exits 1', async () => {
    const unlocked = await runCli(['user', 'unlock', '--username', 'clerk1'], env);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain('unlocked clerk1');
    const log = await pool.query<{ outcome: string; address: string }>("SELECT outcome, address FROM console_sign_ins WHERE username = 'clerk1'");
    expect(log.rows).toEqual([{ outcome: 'unlocked', address: expect.stringMatching(/^by:cli:/) }]);
    expect((await runCli(['user', 'unlock', '--username', 'nobody'], env)).code).toBe(1);
  });
});
