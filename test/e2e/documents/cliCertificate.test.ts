import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { throwawayKeys } from '../../support/throwawayKeys.js';
import { runCli, stackLine } from '../../support/cli.js';
import { CHIYODA } from '../../support/people.js';
import { loadKeyRing, rotateSigningKey, signHealthCard, verifyHealthCard } from '../../../src/documents/index.js';
import { pdfText, recordDose, register } from './support.js';
import { readFile } from 'node:fs/promises';

describe('vrs certificate', () => {
  let t: TestApp;
  const keys = throwawayKeys();
  let env: Record<string, string>;
  let shc = '';

  beforeAll(async () => {
    t = await createTestApp({ env: keys });
    env = { DATABASE_URL: t.dbUrl, VRS_DATA_DIR: t.dataDir, ...keys };
    const p = await register(t, 3, CHIYODA);
    await recordDose(t, CHIYODA, p.coupon, 1, '2021-06-01', 'pfizer', 'FA1234');
    const headers = await t.auth('municipality', { municipality: CHIYODA });
    shc = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}/certificates/shc`, headers })).json().shc;
  }, 60_000);
  afterAll(async () => t?.close());

  it('verify: a card the server issued is valid (exit 0); a bad one says why (exit 1); no stack trace', async () => {
    const ok = await runCli(['certificate', 'verify', shc], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, summary: { patient: { name: '接種 太郎3' } } });
    const bad = await runCli(['certificate', 'verify', `${shc.slice(0, -2)}99`], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false });
    const usage = await runCli(['certificate', 'frobnicate'], env);
    expect(usage.code).toBe(2);
    for (const r of [ok, bad, usage]) expect(r.stderr).not.toMatch(stackLine);
  }, 90_000);

  it('rotate-key: a new key signs, the old public key stays published, key files are 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vrs-keys-'));
    try {
      const first = await loadKeyRing(dir);
      expect((await stat(join(dir, 'keys', 'certificates', 'signing.jwk'))).mode & 0o777).toBe(0o600);
      const old = await signHealthCard({ iss: 'https://vrs.example.jp', nbf: 1_700_000_000, bundle: { resourceType: 'Bundle', type: 'collection', entry: [] }, key: first.current });
      const rotated = await runCli(['certificate', 'rotate-key'], { ...env, VRS_DATA_DIR: dir });
      expect(rotated.code).toBe(0);
      const second = await loadKeyRing(dir);
      expect(second.current.kid).not.toBe(first.current.kid);
      expect(second.published.map((k) => k.kid)).toEqual([second.current.kid, first.current.kid]);
      expect((await stat(join(dir, 'keys', 'certificates', 'signing.jwk'))).mode & 0o777).toBe(0o600);
      const trusted = [{ iss: 'https://vrs.example.jp', keys: second.published }];
      expect(await verifyHealthCard(old, trusted)).toMatchObject({ valid: true, summary: { keyId: first.current.kid } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('coupons: issues a batch and writes the sheets and the due list; a bad option is a usage error', async () => {
    const p = await register(t, 4, CHIYODA);
    const dir = await mkdtemp(join(tmpdir(), 'vrs-coupons-'));
    try {
      const r = await runCli(['coupons', '--municipality', CHIYODA, '--dose', '1', '--coupon', p.coupon, '--out', join(dir, 's.pdf'), '--csv', join(dir, 'd.csv')], env);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'done', issued: 1 });
      expect(pdfText(await readFile(join(dir, 's.pdf')))).toContain(`11${CHIYODA}${p.coupon}`);
      expect(await readFile(join(dir, 'd.csv'), 'utf8')).toContain(p.name);
      const history = (await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${p.coupon}/history`, headers: await t.auth('municipality', { municipality: CHIYODA }) })).json();
      expect(history.events.filter((e: { type: string }) => e.type === 'CouponIssued').length).toBe(1);
      const bad = await runCli(['coupons', '--municipality', CHIYODA, '--dose', '9', '--out', join(dir, 'x.pdf')], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).not.toMatch(stackLine);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
