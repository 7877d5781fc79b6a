import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, YOKOHAMA, person, coupon } from '../support/people.js';

/**
 * DESIGN's role table as a matrix: every endpoint × every caller → the status it must get, one test per cell,
 * and a refused call must leave the event log (and the access log) as it was.
 */
type Caller = 'municipality own' | 'municipality other' | 'site' | 'ministry' | 'auditor' | 'admin' | 'no token' | 'bad token' | 'expired token';
const callers: Caller[] = ['municipality own', 'municipality other', 'site', 'ministry', 'auditor', 'admin', 'no token', 'bad token', 'expired token'];

type Endpoint = {
  name: string;
  /** Prepares a fresh recipient numbered `n` so that the call can succeed for an allowed caller. */
  setup: (n: number) => Promise<void>;
  request: (n: number) => InjectOptions;
  expected: Partial<Record<Caller, number>> & { default: number };
};

let t: TestApp;
let headers: Record<Caller, Record<string, string>>;
let next = 100;

const http = async (options: InjectOptions, as: Caller = 'municipality own') => {
  const res = await t.app.inject({ ...options, headers: { ...headers[as], ...(options.headers ?? {}) } });
  return res;
};
const register = async (n: number) => {
  const res = await http({ method: 'POST', url: '/v1/recipients', payload: person(n) });
  if (res.statusCode !== 201) throw new Error(`setup: register ${res.statusCode} ${res.body}`);
};
const dose = (n: number) => ({ municipality: CHIYODA, coupon: coupon(n), doseNumber: 1, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });
const registerWithDose = async (n: number) => {
  await register(n);
  const res = await http({ method: 'POST', url: '/v1/vaccinations', payload: dose(n) });
  if (res.statusCode !== 201) throw new Error(`setup: dose ${res.statusCode} ${res.body}`);
};
const none = async () => {};
const base = (n: number) => `/v1/recipients/${CHIYODA}/${coupon(n)}`;

const ONLY_OWN_MUNICIPALITY = { 'municipality own': 201, default: 403 };
const endpoints: Endpoint[] = [
  { name: 'register', setup: none, request: (n) => ({ method: 'POST', url: '/v1/recipients', payload: person(n) }), expected: ONLY_OWN_MUNICIPALITY },
  { name: 'get status', setup: register, request: (n) => ({ method: 'GET', url: base(n) }), expected: { 'municipality own': 200, auditor: 200, default: 403 } },
  { name: 'record dose', setup: register, request: (n) => ({ method: 'POST', url: '/v1/vaccinations', payload: dose(n) }), expected: { 'municipality own': 201, site: 201, default: 403 } },
  {
    name: 'correct dose',
    setup: registerWithDose,
    request: (n) => ({ method: 'POST', url: `${base(n)}/vaccinations/1/corrections`, payload: { changes: { vaccine: { lot: 'FB9999' } }, reason: 'lot typed wrong' } }),
    expected: ONLY_OWN_MUNICIPALITY,
  },
  { name: 'void dose', setup: registerWithDose, request: (n) => ({ method: 'POST', url: `${base(n)}/vaccinations/1/void`, payload: { reason: 'never given' } }), expected: ONLY_OWN_MUNICIPALITY },
  {
    name: 'correct details',
    setup: register,
    request: (n) => ({ method: 'POST', url: `${base(n)}/corrections`, payload: { changes: { address: '東京都千代田区丸の内1-1' }, reason: 'moved within the ward' } }),
    expected: ONLY_OWN_MUNICIPALITY,
  },
  // Any municipality may look a person up by My Number: that is how the new one finds the old registration.
  { name: 'transfer lookup', setup: register, request: (n) => ({ method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: person(n).myNumber } }), expected: { 'municipality own': 200, 'municipality other': 200, default: 403 } },
  // The caller is the new municipality: taking over from yourself is a domain rule (422), from another a 201.
  {
    name: 'transfer',
    setup: register,
    request: (n) => ({ method: 'POST', url: '/v1/transfers', payload: { from: { municipality: CHIYODA, coupon: coupon(n) }, myNumber: person(n).myNumber, consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: coupon(n + 500_000), addressNumber: `Y${n}` } } }),
    expected: { 'municipality own': 422, 'municipality other': 201, default: 403 },
  },
  { name: 'history', setup: registerWithDose, request: (n) => ({ method: 'GET', url: `${base(n)}/history` }), expected: { 'municipality own': 200, auditor: 200, default: 403 } },
  { name: 'erase personal data', setup: register, request: (n) => ({ method: 'DELETE', url: `${base(n)}/personal-data`, payload: { reason: 'retention period over' } }), expected: { admin: 200, default: 403 } },
  { name: 'audit access log', setup: none, request: () => ({ method: 'GET', url: '/v1/audit/access' }), expected: { auditor: 200, default: 403 } },
];

const UNAUTHENTICATED: Caller[] = ['no token', 'bad token', 'expired token'];
const expectedFor = (e: Endpoint, c: Caller) => (UNAUTHENTICATED.includes(c) ? 401 : (e.expected[c] ?? e.expected.default));

/** What a refused call must not have changed: the events (append-only: count and last position), the access log. */
const snapshot = async () => {
  const { rows } = await t.runtime.pool.query<{ events: string; last: string; access: string }>(
    `SELECT (SELECT count(*) FROM events) AS events,
            (SELECT coalesce(max(position), 0) FROM events) AS last,
            (SELECT count(*) FROM access_log) AS access`,
  );
  return rows[0];
};

beforeAll(async () => {
  t = await createTestApp();
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({ role: 'municipality', municipality: CHIYODA })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('clerk-expired')
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(t.runtime.keys.jwtSecret);
  const forged = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setExpirationTime('1h').sign(randomBytes(32));
  headers = {
    'municipality own': await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' }),
    'municipality other': await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-yokohama' }),
    site: await t.auth('site', { site: 'S001', sub: 'nurse-1' }),
    ministry: await t.auth('ministry', { sub: 'mhlw-1' }),
    auditor: await t.auth('auditor', { sub: 'auditor-1' }),
    admin: await t.auth('admin', { sub: 'admin-1' }),
    'no token': {},
    'bad token': { authorization: `Bearer ${forged}` },
    'expired token': { authorization: `Bearer ${expired}` },
  };
});
afterAll(async () => t.close());

describe('authorization matrix: endpoint × caller → status; a refused call writes nothing', () => {
  const cells = endpoints.flatMap((e) => callers.map((c) => ({ e, c, status: expectedFor(e, c) })));
  it.each(cells.map((x) => [x.e.name, x.c, x.status, x] as const))('%s as %s → %i', async (_n, caller, status, { e }) => {
    const n = next++;
    await e.setup(n);
    const before = await snapshot();
    const res = await http(e.request(n), caller);
    const after = await snapshot();
    expect({ status: res.statusCode, unchanged: res.statusCode >= 400 ? after : before }).toEqual({ status, unchanged: before });
  });
});

describe('authentication and role come before the body is looked at', () => {
  // An unauthenticated or wrong-role caller learns nothing about the request shape (no 400 field list).
  const malformed = (req: InjectOptions): InjectOptions => {
    if (req.method === 'GET') return { ...req, url: '/v1/recipients/abc/xyz' + (req.url?.toString().endsWith('/history') ? '/history' : '') };
    return { ...req, payload: { nonsense: ['x'] } };
  };
  const rows = endpoints.flatMap((e) => [
    [e.name, 'no token', 401] as const,
    [e.name, e.name === 'audit access log' ? 'site' : 'ministry', 403] as const,
  ]);
  it.each(rows)('%s with a malformed request as %s → %i', async (name, caller, status) => {
    const e = endpoints.find((x) => x.name === name)!;
    const res = await http(malformed(e.request(next++)), caller as Caller);
    expect(res.statusCode).toBe(status);
  });
});

describe('ownership and existence', () => {
  it('another municipality asking for a recipient that does not exist is refused (403), not told it is missing', async () => {
    const res = await http({ method: 'GET', url: base(999_999) }, 'municipality other');
    expect(res.statusCode).toBe(403);
  });

  it('the own municipality asking for a recipient that does not exist gets 404', async () => {
    const res = await http({ method: 'GET', url: base(999_998) }, 'municipality own');
    expect(res.statusCode).toBe(404);
  });

  it('a site may not record a dose under another site’s code', async () => {
    const n = next++;
    await register(n);
    const before = await snapshot();
    const res = await http({ method: 'POST', url: '/v1/vaccinations', payload: { ...dose(n), siteCode: 'S999' } }, 'site');
    expect({ status: res.statusCode, after: await snapshot() }).toEqual({ status: 403, after: before });
  });

  it('a municipality may not register a recipient under another municipality’s code', async () => {
    const before = await snapshot();
    const res = await http({ method: 'POST', url: '/v1/recipients', payload: person(next++, YOKOHAMA) }, 'municipality own');
    expect({ status: res.statusCode, after: await snapshot() }).toEqual({ status: 403, after: before });
  });

  it('a token whose role lacks its scope claim (municipality without a code) is not accepted', async () => {
    const token = await t.token('municipality', { sub: 'clerk-nowhere' });
    const res = await t.app.inject({ method: 'GET', url: base(1), headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
  });
});
