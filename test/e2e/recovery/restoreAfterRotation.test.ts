import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appOn } from '../../support/appOn.js';
import { runCli, stackLine } from '../../support/cli.js';
import { createTestDatabase } from '../../support/database.js';
import { CHIYODA, person } from '../../support/people.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';

/**
 * A backup made after `vrs keys rotate` names the new key epoch: restore needs that epoch's KEK (kek-1.key,
 * handed over apart from the backup), refuses without it, and with it the restored server reads the people.
 */
describe('vrs restore after vrs keys rotate', () => {
  const keys = throwawayKeys();
  let work: string;
  let source: string;
  let backupDir: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vrs-rotated-'));
    await chmod(work, 0o711); // the PostgreSQL OS user reaches the cluster through it
    source = join(work, 'source');
    backupDir = join(work, 'backup');
    const env = { VRS_DATA_DIR: source, ...keys };
    const a = await appOn(env);
    try {
      const clerk = await a.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
      for (let i = 1; i <= 3; i++) {
        const r = await a.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: person(i) });
        if (r.statusCode !== 201) throw new Error(r.body);
      }
    } finally {
      await a.close();
    }
    const rotated = await runCli(['keys', 'rotate'], env, 120_000);
    if (rotated.code !== 0) throw new Error(`keys rotate: ${rotated.stderr}`);
    const b = await runCli(['backup', backupDir], env, 120_000);
    if (b.code !== 0) throw new Error(`backup: ${b.stderr}`);
  }, 150_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('records the new epoch in the manifest; refuses the pre-rotation keys; restores with the new KEK and reads every person', async () => {
    const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8')) as { keyEpoch: number };
    expect(manifest.keyEpoch).toBe(1);
    expect(await readdir(join(source, 'keys'))).toContain('kek-1.key');

    const db = await createTestDatabase();
    const target = join(work, 'restored');
    const env = { DATABASE_URL: db.url, VRS_DATA_DIR: target, ...keys };
    try {
      // Only the keys from before the rotation (VRS_MASTER_KEY is epoch 0): refused up front, nothing written.
      const refused = await runCli(['restore', backupDir], env, 120_000);
      expect(refused.stderr).not.toMatch(stackLine);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not the ones this backup was made with/);

      // The epoch's KEK handed over by its own path, as an operator copies the keys folder.
      await mkdir(join(target, 'keys'), { recursive: true, mode: 0o700 });
      await copyFile(join(source, 'keys', 'kek-1.key'), join(target, 'keys', 'kek-1.key'));
      const r = await runCli(['restore', backupDir], env, 120_000);
      expect(r.stderr).not.toMatch(stackLine);
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^restored: \d+ events/m);

      const restored = await appOn(env);
      try {
        const clerk = await restored.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
        for (let i = 1; i <= 3; i++) {
          const res = await restored.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${person(i).coupon}`, headers: clerk });
          expect(res.statusCode).toBe(200);
          expect(res.json()).toMatchObject({ person: { name: person(i).name } });
        }
      } finally {
        await restored.close();
      }
    } finally {
      await db.drop();
    }
  }, 180_000);
});
