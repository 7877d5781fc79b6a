import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { decodeJwt, jwtVerify } from 'jose';
import { signToken } from '../../src/api/auth.js';
import { createTestDatabase } from '../support/database.js';
import { runCli, startListening } from '../support/cli.js';
import { CHIYODA, person } from '../support/people.js';

/**
 * `vrs token` and `vrs serve` as separate processes sharing only VRS_DATA_DIR, with no key in the environment:
 * the first creates the key files (0600), the second reuses them, so the printed token is accepted.
 */
describe('vrs token and the key files in VRS_DATA_DIR', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let server: ChildProcess | undefined;
  // The token needs no key-encryption key: epoch 0's (master.key) is made by the first process that opens the database.
  const keyFiles = ['hmac.key', 'jwt.secret'];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'vrs-cli-keys-'));
    env = { DATABASE_URL: db.url, VRS_DATA_DIR: dataDir }; // no VRS_MASTER_KEY, VRS_HMAC_KEY, VRS_JWT_SECRET
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await once(server, 'exit');
    }
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** `vrs serve` on a free port; resolves with its base URL once it listens. */
  const serve = async () => {
    const { child, url } = startListening(['serve'], { ...env, PORT: '0', LOG_LEVEL: 'info', VRS_PROJECTIONS: 'off' });
    return { child, url: await url };
  };

  it('prints a token that expires after --ttl, creating the key files (0600) on first use', async () => {
    await expect(stat(join(dataDir, 'keys'))).rejects.toThrow(/ENOENT/);
    const r = await runCli(['token', '--role', 'municipality', '--municipality', CHIYODA, '--ttl', '90s'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ role: 'municipality', municipality: CHIYODA });
    expect(claims.exp! - claims.iat!).toBe(90);

    for (const f of keyFiles) expect(((await stat(join(dataDir, 'keys', f))).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(join(dataDir, 'keys'))).mode & 0o077).toString(8)).toBe('0'); // no access for group or others

    // Signed with the secret now in the key file, and refused once its 90 seconds are over.
    const secret = new TextEncoder().encode((await readFile(join(dataDir, 'keys', 'jwt.secret'), 'utf8')).trim());
    await expect(jwtVerify(token, secret, { currentDate: new Date((claims.iat! + 89) * 1000) })).resolves.toBeDefined();
    await expect(jwtVerify(token, secret, { currentDate: new Date((claims.exp! + 1) * 1000) })).rejects.toThrow(/exp/);
  });

  it('a second process with the same VRS_DATA_DIR reuses the keys and accepts that token', async () => {
    const before = await Promise.all(keyFiles.map((f) => readFile(join(dataDir, 'keys', f), 'utf8')));
    const token = (await runCli(['token', '--role', 'municipality', '--municipality', CHIYODA, '--sub', 'clerk-cli'], env)).stdout.trim();
    expect(decodeJwt(token)).toMatchObject({ sub: 'clerk-cli' });
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(12 * 3600); // the default --ttl

    let url: string;
    ({ child: server, url } = await serve());
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const who = person(7);
    const registered = await fetch(`${url}/v1/recipients`, { method: 'POST', headers, body: JSON.stringify(who) });
    expect(registered.status).toBe(201);
    const read = await fetch(`${url}/v1/recipients/${CHIYODA}/${who.coupon}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ municipality: CHIYODA, coupon: who.coupon, person: { name: who.name } });

    // The server really checks the signature: a token made with any other secret is refused.
    const forged = await signToken(randomBytes(32), { role: 'municipality', municipality: CHIYODA });
    expect((await fetch(`${url}/v1/recipients/${CHIYODA}/${who.coupon}`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);

    expect(await Promise.all(keyFiles.map((f) => readFile(join(dataDir, 'keys', f), 'utf8')))).toEqual(before);
    expect(((await stat(join(dataDir, 'keys', 'master.key'))).mode & 0o777).toString(8)).toBe('600');
    server.kill('SIGTERM');
    const [code] = await once(server, 'exit');
    expect(code).toBe(0);
  });
});
