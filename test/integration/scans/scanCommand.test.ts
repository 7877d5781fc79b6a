import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { throwawayKeys } from '../../support/throwawayKeys.js';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../../src/runtime/config.js';
import { openRuntime, type Runtime } from '../../../src/runtime/openRuntime.js';
import { scanCommand } from '../../../src/cli/scan.js';
import { ledgerOf } from '../../../src/api/ledgerOf.js';
import { commandContext, loadRecipient, handleRegisterRecipient } from '../../../src/ledger/index.js';
import { validDoses } from '../../../src/domain/index.js';
import { createTestDatabase } from '../../support/database.js';
import { CHIYODA, person } from '../../support/people.js';
import { makeCoupon } from '../../fixtures/coupons/makeCoupon.js';
import { lineOf, otherCoupon } from './scanCorpus.js';

describe('vrs scan DIR', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let config: Config;
  let runtime: Runtime;
  const registered = otherCoupon(101);

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'vrs-scan-cli-'));
    config = loadConfig({
      DATABASE_URL: db.url,
      VRS_DATA_DIR: dataDir,
      ...throwawayKeys(),
    });
    runtime = await openRuntime(config);
    const actor = { role: 'municipality', municipality: CHIYODA, sub: 'clerk' };
    await handleRegisterRecipient(ledgerOf(runtime), { ...person(1), coupon: registered, medicalWorker: false }, commandContext(actor));
  });
  afterAll(async () => {
    await runtime?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('scans a folder as one site and prints recorded / review / failed', async () => {
    const dir = join(dataDir, 'inbox');
    await mkdir(dir);
    await writeFile(join(dir, 'a.png'), await makeCoupon({ line: lineOf(1, CHIYODA, registered), layout: 'chiyoda', variant: 'clean', qr: true }));
    await writeFile(join(dir, 'b.png'), await makeCoupon({ line: lineOf(1, CHIYODA, otherCoupon(102)), layout: 'osaka', variant: 'clean', qr: true }));
    const jpeg = await makeCoupon({ line: lineOf(1, CHIYODA, registered), layout: 'chiyoda', variant: 'jpeg40', qr: true });
    await writeFile(join(dir, 'c.jpg'), jpeg.subarray(0, 2000));
    await writeFile(join(dir, 'notes.txt'), 'not an image, not scanned');

    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await scanCommand.run({ config, values: { site: 'S010', date: '2025-05-01', maker: 'pfizer', lot: 'FA1234' }, positionals: [dir] });
      expect(code).toBe(1); // one file failed
    } finally {
      log.mockRestore();
      errors.mockRestore();
    }
    expect(out.at(-1)).toBe('recorded 1, review 1, failed 1 (3 images)');

    const state = (await loadRecipient(ledgerOf(runtime), `recipient-${CHIYODA}-${registered}`)).state;
    expect(state.kind === 'registered' && validDoses(state).map((d) => [d.doseNumber, d.siteCode, d.source])).toEqual([[1, 'S010', 'scan']]);
  });

  it('refuses bad options before touching anything', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await scanCommand.run({ config, values: { site: 'S010', date: '2025-02-30', maker: 'pfizer' }, positionals: ['x'] })).toBe(2);
      expect(await scanCommand.run({ config, values: { site: 'S010', date: '2025-02-03', maker: 'pfizer' }, positionals: [] })).toBe(2);
    } finally {
      errors.mockRestore();
    }
  });
});
