import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../../src/api/app.js';
import { signToken } from '../../../src/api/auth.js';
import { allRoutes } from '../../../src/api/routes/index.js';
import { openRuntime, type Runtime } from '../../../src/runtime/openRuntime.js';
import { loadConfig } from '../../../src/runtime/config.js';
import { unwrapDataKey } from '../../../src/personal/dataKeys.js';
import { rotateKeys } from '../../../src/personal/rotateKeys.js';
import { projectionsService } from '../../../src/projections/projectionsService.js';
import { CHIYODA, myNumberFor } from '../../support/people.js';

/**
 * An attacker who takes the whole disk after an erasure and its key rotation (the PostgreSQL data directory with
 * its WAL, and the key files that still exist) must find nothing of the person: no name, kana, address, address
 * number or My Number in any form, and no key that opens any copy of the person's wrapped data key.
 * The server runs on a PostgreSQL of its own (a data directory nothing else writes to), as `npm start` does.
 */
describe('attack: read an erased person back from the disk', () => {
  let dataDir: string;
  let runtime: Runtime;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const who = {
    municipality: CHIYODA,
    coupon: '7300000001',
    addressNumber: 'ZQX-4411-KESU',
    name: '霧隠 忘却之介',
    nameKana: 'キリガクレ ボウキャクノスケ',
    birthDate: '1953-07-19',
    sex: 'M' as const,
    address: '東京都千代田区忘却町三丁目七番二十九号 消去荘',
    myNumber: myNumberFor(73_519_264_80),
  };
  const stream = `recipient-${CHIYODA}-${who.coupon}`;
  let wrappedBefore: string;

  const headers = async (role: 'municipality' | 'admin') => ({
    authorization: `Bearer ${await signToken(runtime.keys.jwtSecret, { role, sub: `attacker-test-${role}`, ...(role === 'municipality' ? { municipality: CHIYODA } : {}) })}`,
  });
  const caughtUp = async () => {
    const head = (await runtime.store.head())!.position;
    for (let i = 0; i < 400; i++) {
      const { rows } = await runtime.pool.query("SELECT position FROM projection_checkpoints WHERE name = 'recipient_status'");
      if (rows[0] && BigInt(rows[0].position) >= head) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('projection did not catch up');
  };

  /** Every regular file under a folder, recursively. */
  const files = async (dir: string): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await files(p)));
      else if (e.isFile()) out.push(p);
    }
    return out;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vrs-attack-erasure-'));
    // No DATABASE_URL: the runtime starts PostgreSQL in dataDir/pg. No key in the environment: key files.
    const config = loadConfig({ VRS_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    runtime = await openRuntime(config);
    app = await buildApp(runtime, allRoutes(runtime));
    await app.ready();
    await projectionsService(runtime).start({ log: { info: () => {}, warn: () => {}, error: () => {} }, lockRetryMs: 100 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finds nothing after erasure and rotation, WAL included, and no surviving key opens any copy of the data key', async () => {
    const municipality = await headers('municipality');
    expect((await app.inject({ method: 'POST', url: '/v1/recipients', headers: municipality, payload: who })).statusCode).toBe(201);
    // Others stay: the rotation has live keys to re-wrap.
    for (let i = 2; i < 6; i++) {
      const other = { ...who, coupon: `73000000${String(i).padStart(2, '0')}`, name: `他人 ${i}`, nameKana: 'タニン', addressNumber: `B${i}`, address: '大阪', myNumber: myNumberFor(73_519_265_00 + i) };
      expect((await app.inject({ method: 'POST', url: '/v1/recipients', headers: municipality, payload: other })).statusCode).toBe(201);
    }
    await caughtUp();
    const found = await app.inject({ method: 'GET', url: '/v1/recipients', headers: municipality, query: { nameKana: 'キリガクレ' } });
    expect(found.json().items.map((i: { coupon: string }) => i.coupon)).toEqual([who.coupon]);
    wrappedBefore = (await runtime.pool.query('SELECT wrapped_key FROM recipient_keys WHERE stream = $1', [stream])).rows[0].wrapped_key;

    const erased = await app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${who.coupon}/personal-data`, headers: await headers('admin'), payload: { reason: 'request of the person' } });
    expect(erased.statusCode).toBeLessThan(300);
    await caughtUp();
    const result = await rotateKeys(runtime.schema.owner, runtime.keys.dir, runtime.kekRing);
    expect(result).toMatchObject({ epoch: 1, destroyed: [0] });
    await runtime.schema.owner.query('CHECKPOINT');
    await runtime.schema.owner.query('SELECT pg_switch_wal()');
    await runtime.schema.owner.query('CHECKPOINT');

    const all = await files(dataDir);
    expect(all.some((f) => f.includes('pg_wal'))).toBe(true);
    const contents = await Promise.all(all.map(async (f) => ({ f, bytes: await readFile(f) })));

    // The scan does read what is on disk: the coupon (not personal) is there, in the events and the read model.
    expect(contents.some(({ bytes }) => bytes.includes(Buffer.from(who.coupon)))).toBe(true);

    const escaped = (s: string) => [...s].map((c) => (c.charCodeAt(0) > 0x7f ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
    const forms = [
      who.name,
      who.name.split(' ')[0],
      who.nameKana,
      who.nameKana.replace(/ /g, ''),
      who.nameKana.split(' ')[0],
      who.address,
      who.address.slice(0, 12),
      who.addressNumber,
      who.myNumber,
      `${who.myNumber.slice(0, 4)} ${who.myNumber.slice(4, 8)} ${who.myNumber.slice(8)}`,
      escaped(who.name),
      escaped(who.nameKana),
    ];
    const needles = forms.flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
    const hits = contents.flatMap(({ f, bytes }) => needles.filter((n) => bytes.includes(n)).map((n) => `${f.slice(dataDir.length)}: ${n.toString(n.length % 2 === 0 && n.includes(0) ? 'utf16le' : 'utf8')}`));
    expect(hits).toEqual([]);

    // Every wrapped data key anywhere on disk (60 bytes in base64: 80 characters standing alone), tried with
    // every key file that still exists, as the erased stream's key.
    const candidates = new Set<string>();
    for (const { bytes } of contents) for (const m of bytes.toString('latin1').matchAll(/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{80}(?![A-Za-z0-9+/=])/g)) candidates.add(m[0]);
    expect(candidates.has(wrappedBefore)).toBe(true); // the erased person's wrapped key is still in the WAL
    const keyFiles = await files(runtime.keys.dir);
    const keys = (await Promise.all(keyFiles.map((f) => readFile(f, 'utf8'))))
      .map((s) => s.trim())
      .flatMap((s) => (/^[0-9a-fA-F]{64}$/.test(s) ? [Buffer.from(s, 'hex')] : [Buffer.from(s)]))
      .filter((k) => k.length === 32);
    expect(keys.length).toBeGreaterThan(0);
    const opened: string[] = [];
    for (const c of candidates)
      for (const k of keys) {
        try {
          unwrapDataKey(k, stream, c);
          opened.push(c);
        } catch {
          // not this key
        }
      }
    expect(opened).toEqual([]);
  }, 120_000);
});
