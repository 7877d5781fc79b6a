import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { SignJWT, decodeJwt } from 'jose';
import type { FastifyRequest } from 'fastify';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { authenticate } from '../../../src/api/auth.js';
import { runCli } from '../../support/cli.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';
import { CHIYODA } from '../../support/people.js';

/**
 * An attacker (or a careless script) holding the signing secret's output: tokens with no subject, no expiry or a
 * lifetime of years. Each must be refused with a stable code, whatever the role claims.
 */
describe('attack: bearer tokens without sub, iat or exp, or with a very long life', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { VRS_TOKEN_MAX_TTL: '12h' } });
  });
  afterAll(async () => t?.close());

  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: { sub?: string; iat?: number; exp?: number }) => {
    let jwt = new SignJWT({ role: 'auditor' }).setProtectedHeader({ alg: 'HS256' });
    if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
    if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(t.runtime.keys.jwtSecret);
  };
  const call = async (token: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/audit/access', headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, code: (res.json() as { error?: { code: string } }).error?.code };
  };

  it('a well-formed token within the cap is accepted (the control)', async () => {
    expect(await call(await sign({ sub: 'auditor-1', iat: now(), exp: now() + 3600 }))).toEqual({ status: 200, code: undefined });
  });

  it.each([
    ['no exp (a token that never expires)', { sub: 'auditor-1', iat: 0 }],
    ['no sub (everything it does would be attributed to nobody)', { iat: 0, exp: 3600 }],
    ['no iat', { sub: 'auditor-1', exp: 3600 }],
    ['an empty sub', { sub: '', iat: 0, exp: 3600 }],
    ['no claims at all but the role', {}],
  ])('%s → 401 TOKEN_CLAIMS_MISSING', async (_name, rel: { sub?: string; iat?: number; exp?: number }) => {
    const n = now();
    const token = await sign({ sub: rel.sub, iat: rel.iat === undefined ? undefined : n + rel.iat, exp: rel.exp === undefined ? undefined : n + rel.exp });
    expect(await call(token)).toEqual({ status: 401, code: 'TOKEN_CLAIMS_MISSING' });
  });

  it.each([
    ['a year long', 0, 365 * 86_400],
    ['13 hours against a 12-hour cap', 0, 13 * 3600],
    ['two minutes over the cap (one minute of clock tolerance)', 0, 12 * 3600 + 120],
    ['backdated: issued a year ago, valid for another hour', -365 * 86_400, 3600],
  ])('%s → 401 TOKEN_LIFETIME_TOO_LONG', async (_name, iat, exp) => {
    const n = now();
    expect(await call(await sign({ sub: 'auditor-1', iat: n + iat, exp: n + exp }))).toEqual({ status: 401, code: 'TOKEN_LIFETIME_TOO_LONG' });
  });

  it('exactly the cap is accepted, and signToken sets exp − iat to the lifetime exactly', async () => {
    const n = now();
    expect(await call(await sign({ sub: 'auditor-1', iat: n, exp: n + 12 * 3600 }))).toEqual({ status: 200, code: undefined });
    const claims = decodeJwt(await t.token('auditor', { sub: 'auditor-1' }));
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });

  it('a token issued in the future is not believed', async () => {
    const n = now();
    expect(await call(await sign({ sub: 'auditor-1', iat: n + 3600, exp: n + 7200 }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('a forged token learns nothing about its claims: the generic 401', async () => {
    const forged = await new SignJWT({ role: 'auditor' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await call(forged)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('the verified-token cache does not carry a token past a smaller cap under the same secret', async () => {
    const n = now();
    const token = await sign({ sub: 'auditor-1', iat: n, exp: n + 6 * 3600 });
    const req = { headers: { authorization: `Bearer ${token}` } } as unknown as FastifyRequest;
    await expect(authenticate(t.runtime.keys.jwtSecret, req, 12 * 3600)).resolves.toMatchObject({ sub: 'auditor-1' });
    await expect(authenticate(t.runtime.keys.jwtSecret, req, 12 * 3600)).resolves.toMatchObject({ sub: 'auditor-1' }); // a cache hit
    await expect(authenticate(t.runtime.keys.jwtSecret, req, 3600)).rejects.toMatchObject({ code: 'TOKEN_LIFETIME_TOO_LONG' });
  });

  it('vrs token refuses a --ttl above VRS_TOKEN_MAX_TTL with a usage error, and prints one within it', async () => {
    const env = { ...throwawayKeys(), VRS_DATA_DIR: t.dataDir, VRS_TOKEN_MAX_TTL: '2h' };
    const refused = await runCli(['token', '--role', 'municipality', '--municipality', CHIYODA, '--ttl', '3h'], env);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/--ttl: must be at most 7200 seconds/);
    expect(refused.stderr).toMatch(/usage: vrs token/);
    const byDefault = await runCli(['token', '--role', 'municipality', '--municipality', CHIYODA], env);
    expect(byDefault.code).toBe(0); // without --ttl: 12h, or the cap when it is shorter
    expect(decodeJwt(byDefault.stdout.trim())).toMatchObject({ exp: expect.any(Number) });
    const claims = decodeJwt(byDefault.stdout.trim());
    expect(claims.exp! - claims.iat!).toBe(7200);
    const ok = await runCli(['token', '--role', 'municipality', '--municipality', CHIYODA, '--ttl', '2h'], env);
    expect(ok.code).toBe(0);
    const bad = await runCli(['token', '--role', 'auditor', '--sub', 'a'], { ...env, VRS_TOKEN_MAX_TTL: 'forever' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/VRS_TOKEN_MAX_TTL/);
  });
});
