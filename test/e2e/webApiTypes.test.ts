import { describe, it, expect, afterAll } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { openApiToTypes, type OpenApiDoc } from '../../scripts/openApiTypes.js';

const FILE = new URL('../../web/src/api/schema.d.ts', import.meta.url);
let t: TestApp | undefined;
afterAll(async () => t?.close());

/**
 * The console's API client is typed from the server's OpenAPI document; the generated file is committed, and this
 * test fails when it no longer matches the server (regenerate: `npm run web:api`).
 */
describe('web/src/api/schema.d.ts', () => {
  it('matches the OpenAPI document the server serves', async () => {
    t = await createTestApp();
    const generated = openApiToTypes(t.app.swagger() as unknown as OpenApiDoc);
    if (process.env.UPDATE_API_TYPES === '1') await writeFile(FILE, generated);
    const committed = await readFile(FILE, 'utf8').catch(() => '');
    expect(committed).toBe(generated);
  });
});
