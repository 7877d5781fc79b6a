import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../src/runtime/openRuntime.js';
import { ConfigError, loadConfig } from '../../src/runtime/config.js';
import { createDataKeys } from '../../src/personal/dataKeys.js';
import { startKeyRotation } from '../../src/personal/keyRotationService.js';
import { openKekRing } from '../../src/personal/kekRing.js';
import { createTestDatabase } from '../support/database.js';
import { runCli, startCli } from '../support/cli.js';

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * `vrs keys rotate` killed mid-way leaves every key readable and the old KEK in place; the rerun finishes the same
 * epoch and only then destroys the old KEK. The server's own rotation runs after an erasure by itself.
 */
describe('key epochs: rotation', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let runtime: Runtime;
  const streams = Array.from({ length: 3000 }, (_, i) => `recipient-131016-${String(i + 1).padStart(10, '0')}`);
  let original: Map<string, Buffer>;

  /** Every key as a process started now reads it. */
  const freshRead = async () => {
    const ring = await openKekRing(runtime.pool, runtime.keys.dir);
    return createDataKeys(runtime.pool, ring).getMany(streams);
  };
  const epochs = async () => (await runtime.pool.query('SELECT epoch, count(*)::int AS n FROM recipient_keys GROUP BY epoch ORDER BY epoch')).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'vrs-rotate-'));
    env = { DATABASE_URL: db.url, VRS_DATA_DIR: dataDir }; // no VRS_MASTER_KEY: epoch 0 is the master.key file
    runtime = await openRuntime(loadConfig(env));
    original = await runtime.dataKeys.forStreams(streams);
  });
  afterAll(async () => {
    await runtime?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('killed mid-way, every key still opens and the old KEK is kept; the rerun finishes and destroys it', async () => {
    const child = startCli(['keys', 'rotate', '--batch', '1'], env);
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b;
      if (/re-wrapped 20\//.test(err)) child.kill('SIGKILL');
    });
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    const mixed = await epochs();
    expect(mixed.map((r) => r.epoch)).toEqual([0, 1]); // half-way: some keys under each epoch
    expect(await exists(join(dataDir, 'keys', 'master.key'))).toBe(true);
    expect(await exists(join(dataDir, 'keys', 'kek-1.key'))).toBe(true);
    expect(await freshRead()).toEqual(original);

    const rerun = await runCli(['keys', 'rotate'], env);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ epoch: 1, resumed: true, destroyed: [0] });
    expect(rerun.stderr).toMatch(/resuming the rotation to key epoch 1/);
    expect(rerun.stderr).toMatch(/re-wrapped \d+\/\d+ data keys under key epoch 1/);
    expect(await epochs()).toEqual([{ epoch: 1, n: streams.length }]);
    expect(await exists(join(dataDir, 'keys', 'master.key'))).toBe(false);
    expect(await freshRead()).toEqual(original);
    const { rows } = await runtime.pool.query('SELECT epoch, completed_at IS NOT NULL AS completed, destroyed_at IS NOT NULL AS destroyed FROM key_epochs ORDER BY epoch');
    expect(rows).toEqual([
      { epoch: 0, completed: true, destroyed: true },
      { epoch: 1, completed: true, destroyed: false },
    ]);
  }, 120_000);

  it('a process that has not noticed the rotation wraps a new key under the new epoch, not the destroyed one', async () => {
    // `runtime` was opened at epoch 0 and still holds that as current.
    const added = 'recipient-131016-9999999999';
    const key = (await runtime.dataKeys.forStreams([added])).get(added)!;
    expect((await runtime.pool.query('SELECT epoch FROM recipient_keys WHERE stream = $1', [added])).rows).toEqual([{ epoch: 1 }]);
    const ring = await openKekRing(runtime.pool, runtime.keys.dir);
    expect((await createDataKeys(runtime.pool, ring).getMany([added])).get(added)).toEqual(key);
    await runtime.schema.owner.query('DELETE FROM recipient_keys WHERE stream = $1', [added]);
  });

  it('the server rotates by itself within VRS_ERASURE_FINAL_HOURS of an erasure, and not without one', async () => {
    const errors: string[] = [];
    const service = startKeyRotation(
      { pool: runtime.schema.owner, keysDir: runtime.keys.dir, ring: runtime.kekRing, finalHours: 0.0002, masterFromEnv: false },
      { info: () => {}, error: (o, m) => errors.push(`${m} ${JSON.stringify(o)}`) },
    );
    try {
      await new Promise((r) => setTimeout(r, 1500));
      expect(await service.checkNow()).toBeNull(); // nothing erased since epoch 1: nothing to do
      expect(await epochs()).toEqual([{ epoch: 1, n: streams.length }]);
      await runtime.dataKeys.erase(streams[0]);
      const until = Date.now() + 30_000;
      while ((await epochs()).some((r) => r.epoch !== 2) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      await service.checkNow();
      expect(errors).toEqual([]);
      expect(await epochs()).toEqual([{ epoch: 2, n: streams.length - 1 }]);
      expect(await exists(join(dataDir, 'keys', 'kek-1.key'))).toBe(false);
      expect(await exists(join(dataDir, 'keys', 'kek-2.key'))).toBe(true);
      const read = await freshRead();
      expect(read.has(streams[0])).toBe(false);
      expect(read.get(streams[1])).toEqual(original.get(streams[1]));
    } finally {
      await service.stop();
    }
  }, 60_000);

  it('refuses a keys directory inside the PostgreSQL data directory, and a non-positive erasure window', () => {
    expect(() => loadConfig({ VRS_DATA_DIR: dataDir, VRS_KEYS_DIR: join(dataDir, 'pg', 'keys') })).toThrow(ConfigError);
    expect(() => loadConfig({ VRS_DATA_DIR: dataDir, VRS_KEYS_DIR: join(dataDir, 'pg', 'keys') })).toThrow(/VRS_KEYS_DIR/);
    expect(() => loadConfig({ VRS_DATA_DIR: dataDir, VRS_ERASURE_FINAL_HOURS: '0' })).toThrow(/VRS_ERASURE_FINAL_HOURS/);
    expect(() => loadConfig({ VRS_DATA_DIR: dataDir, VRS_ERASURE_FINAL_HOURS: 'soon' })).toThrow(/VRS_ERASURE_FINAL_HOURS/);
    expect(loadConfig({ VRS_DATA_DIR: dataDir }).VRS_ERASURE_FINAL_HOURS).toBe(24);
  });
});
