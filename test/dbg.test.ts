import { it, expect } from '@jest/globals';
import { projectionsService } from '../src/projections/projectionsService.js';
import { createTestApp } from '../test/support/testApp.js';
import { CHIYODA, person } from '../test/support/people.js';
it('dbg', async () => {
  const t = await createTestApp();
  const logs: unknown[] = [];
  const log = { info: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => logs.push(a) };
  await projectionsService(t.runtime).start({ log, lockRetryMs: 100 });
  const h = await t.auth('municipality', { municipality: CHIYODA });
  const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: h, payload: person(1) });
  await new Promise((r) => setTimeout(r, 1500));
  console.log(JSON.stringify(logs).slice(0, 3000));
  await t.close();
});
