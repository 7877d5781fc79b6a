import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, YOKOHAMA, person, coupon } from '../../support/people.js';
import { makeUser, signInAs, withCookie, PASSWORD } from '../../support/consoleUsers.js';
import { LOCK_AFTER_FAILURES, ADDRESS_MAX_FAILURES } from '../../../src/accounts/index.js';

/** Console sessions under attack: each test fails if its check on the server is taken away. */
let t: TestApp;
let admin: Record<string, string>;
const eventCount = async () => (await t.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
const dose = (n: number) => ({ municipality: CHIYODA, coupon: coupon(n), doseNumber: 1, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.auth('admin', { sub: 'admin-1' });
  const chiyoda = await t.auth('municipality', { municipality: CHIYODA });
  for (const n of [1, 2, 3]) {
    const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(n) });
    expect(r.statusCode).toBe(201);
  }
  await makeUser(t, 'clerk-chiyoda', 'municipality', { municipality: CHIYODA });
  await makeUser(t, 'clerk-yokohama', 'municipality', { municipality: YOKOHAMA });
  await makeUser(t, 'nurse-1', 'site', { site: 'S001' });
});
afterAll(async () => t?.close());

describe('the session cookie', () => {
  it('is httpOnly, SameSite=Strict, Path=/, not Secure over plain HTTP, and the session answers who is signed in', async () => {
    const s = await signInAs(t, 'clerk-chiyoda');
    expect(s.setCookie).toMatch(/^vrs_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    const me = await t.app.inject(withCookie(s, { method: 'GET', url: '/v1/session' }, false));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'clerk-chiyoda', role: 'municipality', municipality: CHIYODA, csrfToken: s.csrf });
  });

  it('is not made Secure by a client claiming TLS (X-Forwarded-Proto from an untrusted client)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nurse-1', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    // fastify trusts no proxy header: a plain-HTTP server never claims TLS because a client says so.
    expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write without the CSRF token, or with another session\'s, writing nothing', async () => {
    const s = await signInAs(t, 'clerk-chiyoda');
    const other = await signInAs(t, 'clerk-chiyoda');
    const before = await eventCount();
    const none = await t.app.inject(withCookie(s, { method: 'POST', url: '/v1/vaccinations', payload: dose(1) }, false));
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', payload: dose(1), headers: { cookie: s.cookie, 'x-csrf-token': other.csrf } });
    expect(wrong.statusCode).toBe(403);
    const signOut = await t.app.inject(withCookie(s, { method: 'DELETE', url: '/v1/session' }, false));
    expect(signOut.statusCode).toBe(403);
    expect(await eventCount()).toBe(before);
  });

  it('accepts the write with the token, and the event\'s actor sub is the username', async () => {
    const s = await signInAs(t, 'clerk-chiyoda');
    const res = await t.app.inject(withCookie(s, { method: 'POST', url: '/v1/vaccinations', payload: dose(2) }));
    expect(res.statusCode).toBe(201);
    const { rows } = await t.runtime.pool.query<{ metadata: { actor: { sub: string; role: string; municipality: string } } }>(
      `SELECT metadata FROM events WHERE stream = $1 AND type = 'VaccinationRecorded'`,
      [`recipient-${CHIYODA}-${coupon(2)}`],
    );
    expect(rows[0].metadata.actor).toEqual({ role: 'municipality', sub: 'clerk-chiyoda', municipality: CHIYODA });
  });

  it('leaves bearer-token clients as they were (no CSRF token needed)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/vaccinations', payload: dose(3), headers: await t.auth('site', { site: 'S001' }) });
    expect(res.statusCode).toBe(201);
  });
});

describe('sessions that must no longer work', () => {
  it('refuses the cookie of a user disabled after signing in', async () => {
    await makeUser(t, 'leaver', 'municipality', { municipality: CHIYODA });
    const s = await signInAs(t, 'leaver');
    expect((await t.app.inject(withCookie(s, { method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(1)}` }))).statusCode).toBe(200);
    const off = await t.app.inject({ method: 'POST', url: '/v1/users/leaver/disable', headers: admin });
    expect(off.statusCode).toBe(200);
    const after = await t.app.inject(withCookie(s, { method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(1)}` }));
    expect(after.statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'leaver', password: PASSWORD } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('SIGN_IN_FAILED');
  });

  it('refuses a session idle for more than 30 minutes, and one past its absolute expiry', async () => {
    const idle = await signInAs(t, 'clerk-chiyoda');
    const old = await signInAs(t, 'clerk-chiyoda');
    const url = `/v1/recipients/${CHIYODA}/${coupon(1)}`;
    expect((await t.app.inject(withCookie(idle, { method: 'GET', url }))).statusCode).toBe(200);
    await t.runtime.pool.query(`UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' WHERE csrf_token = $1`, [idle.csrf]);
    expect((await t.app.inject(withCookie(idle, { method: 'GET', url }))).statusCode).toBe(401);
    await t.runtime.pool.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1`, [old.csrf]);
    expect((await t.app.inject(withCookie(old, { method: 'GET', url }))).statusCode).toBe(401);
  });

  it('refuses the cookie after sign-out', async () => {
    const s = await signInAs(t, 'clerk-chiyoda');
    const out = await t.app.inject(withCookie(s, { method: 'DELETE', url: '/v1/session' }));
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^vrs_session=; Path=\/; Max-Age=0/);
    expect((await t.app.inject(withCookie(s, { method: 'GET', url: '/v1/session' }))).statusCode).toBe(401);
  });
});

describe('boundaries come from the user record', () => {
  it('refuses another municipality\'s user, and a site user reading a person', async () => {
    const yokohama = await signInAs(t, 'clerk-yokohama');
    const res = await t.app.inject(withCookie(yokohama, { method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(1)}` }));
    expect(res.statusCode).toBe(403);
    const write = await t.app.inject(withCookie(yokohama, { method: 'POST', url: '/v1/vaccinations', payload: { ...dose(1), date: '2025-07-01' } }));
    expect(write.statusCode).toBe(403);
    const nurse = await signInAs(t, 'nurse-1');
    expect((await t.app.inject(withCookie(nurse, { method: 'GET', url: `/v1/recipients/${CHIYODA}/${coupon(1)}` }))).statusCode).toBe(403);
    expect((await t.app.inject(withCookie(nurse, { method: 'GET', url: '/v1/users' }))).statusCode).toBe(403);
  });
});

describe('sign-in attempts', () => {
  it('locks a username after repeated failures (the right password is then refused too), recorded for auditors', async () => {
    await makeUser(t, 'target', 'auditor');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'target', password: `guess-${i}` }, remoteAddress: `10.0.0.${i + 1}` });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'target', password: PASSWORD }, remoteAddress: '10.0.1.1' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('SIGN_IN_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.headers['set-cookie']).toBeUndefined();
    const auditor = await t.auth('auditor', { sub: 'auditor-1' });
    const log = await t.app.inject({ method: 'GET', url: '/v1/audit/sign-ins?username=target', headers: auditor });
    expect(log.statusCode).toBe(200);
    const outcomes = (log.json().entries as { outcome: string }[]).map((e) => e.outcome).reverse();
    expect(outcomes).toEqual([...Array(LOCK_AFTER_FAILURES).fill('failed'), 'locked', 'refused-locked']);
    expect((await t.app.inject({ method: 'GET', url: '/v1/audit/sign-ins', headers: await t.auth('municipality', { municipality: CHIYODA }) })).statusCode).toBe(403);
  });

  it('an admin (and only an admin) lifts a lockout early; the unlock is in the sign-in log', async () => {
    await makeUser(t, 'mistyped', 'auditor');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) {
      await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'mistyped', password: `typo-${i}` }, remoteAddress: `10.0.3.${i + 1}` });
    }
    const signInRight = () => t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'mistyped', password: PASSWORD }, remoteAddress: '10.0.4.1' });
    expect((await signInRight()).statusCode).toBe(429);
    for (const [role, claims] of [['municipality', { municipality: CHIYODA }], ['auditor', {}], ['site', { site: 'S001' }]] as const) {
      const refused = await t.app.inject({ method: 'POST', url: '/v1/users/mistyped/unlock', headers: await t.auth(role, claims) });
      expect(refused.statusCode).toBe(403);
    }
    expect((await signInRight()).statusCode).toBe(429);
    const admin = await t.auth('admin', { sub: 'admin-1' });
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/users/nobody-at-all/unlock', headers: admin });
    expect(unknown.statusCode).toBe(404);
    const unlocked = await t.app.inject({ method: 'POST', url: '/v1/users/mistyped/unlock', headers: admin });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().user.username).toBe('mistyped');
    expect((await signInRight()).statusCode).toBe(201);
    const log = await t.app.inject({ method: 'GET', url: '/v1/audit/sign-ins?username=mistyped', headers: await t.auth('auditor', { sub: 'auditor-1' }) });
    const entries = (log.json().entries as { outcome: string; address: string }[]).reverse();
    expect(entries.map((e) => e.outcome).slice(-3)).toEqual(['refused-locked', 'unlocked', 'signed-in']);
    expect(entries.find((e) => e.outcome === 'unlocked')?.address).toBe('by:admin-1');
  });

  it('answers an unknown username exactly as a wrong password', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nobody-here', password: 'whatever-it-is' }, remoteAddress: '10.0.2.1' });
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nurse-1', password: 'whatever-it-is' }, remoteAddress: '10.0.2.1' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('limits failures per address across usernames (password spraying)', async () => {
    const from = '10.9.9.9';
    for (let i = 0; i < ADDRESS_MAX_FAILURES; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: `spray-${i}`, password: 'Winter2026!!' }, remoteAddress: from });
      expect(r.statusCode).toBe(401);
    }
    const next = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nurse-1', password: PASSWORD }, remoteAddress: from });
    expect(next.statusCode).toBe(429);
    expect(next.json().error.code).toBe('SIGN_IN_RATE_LIMITED');
    // Another address still signs the same user in.
    expect((await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'nurse-1', password: PASSWORD }, remoteAddress: '10.9.9.10' })).statusCode).toBe(201);
  });

  it('never writes a password to a log line, the sign-in log or the users table', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'clerk-chiyoda', password: 'Typo-Secret-4242' }, remoteAddress: '10.0.3.1' });
    await signInAs(t, 'clerk-chiyoda', PASSWORD, '10.0.3.1');
    const created = await t.app.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { username: 'newbie', role: 'ministry', password: 'Admin-Typed-Pass-77' } });
    expect(created.statusCode).toBe(201);
    const generated = await t.app.inject({ method: 'POST', url: '/v1/users', headers: admin, payload: { username: 'newbie2', role: 'ministry' } });
    const shown = generated.json().generatedPassword as string;
    expect(shown).toMatch(/^[A-Za-z0-9]{20}$/);
    const logs = t.logs.join('');
    const tables = JSON.stringify((await t.runtime.pool.query('SELECT * FROM console_sign_ins')).rows) + JSON.stringify((await t.runtime.pool.query('SELECT * FROM console_users')).rows);
    for (const secret of ['Typo-Secret-4242', PASSWORD, 'Admin-Typed-Pass-77', shown]) {
      expect(logs).not.toContain(secret);
      expect(tables).not.toContain(secret);
    }
    expect(tables).toMatch(/\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });
});
