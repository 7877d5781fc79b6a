import type { InjectOptions } from 'fastify';
import { addUser } from '../../src/accounts/index.js';
import type { TestApp } from './testApp.js';

export const PASSWORD = 'correct horse battery staple';

/** A console user straight into the database (what `vrs user add` does). */
export const makeUser = (t: TestApp, username: string, role: 'municipality' | 'site' | 'ministry' | 'auditor' | 'admin', scope: { municipality?: string; site?: string } = {}) =>
  addUser(t.runtime.pool, { username, role, ...scope, password: PASSWORD }, 'test');

export type Signed = { cookie: string; csrf: string; setCookie: string };

/** Signs in through the API; answers the cookie to send back and the CSRF token. */
export const signInAs = async (t: TestApp, username: string, password = PASSWORD, remoteAddress = '127.0.0.1'): Promise<Signed> => {
  const res = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { username, password }, remoteAddress });
  if (res.statusCode !== 201) throw new Error(`sign-in ${username}: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0], csrf: res.json().csrfToken, setCookie };
};

export const withCookie = (s: Signed, options: InjectOptions, csrf = true): InjectOptions => ({
  ...options,
  headers: { ...(options.headers ?? {}), cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) },
});
