import type { TestApp } from './testApp.js';
import { CHIYODA, YOKOHAMA } from './people.js';

/** One caller per role (two municipalities), with the subjects the access-log assertions look for. */
export const standardCallers = async (t: Pick<TestApp, 'auth'>) => ({
  chiyoda: await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' }),
  yokohama: await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-yokohama' }),
  site: await t.auth('site', { site: 'S001', sub: 'nurse-1' }),
  auditor: await t.auth('auditor', { sub: 'auditor-1' }),
  admin: await t.auth('admin', { sub: 'admin-1' }),
  ministry: await t.auth('ministry', { sub: 'mhlw-1' }),
});
