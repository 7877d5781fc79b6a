import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, person } from '../support/people.js';
import { refLeafHash, refVerifyConsistency, refVerifyInclusion } from '../support/rfc9162.js';
import { runCli } from '../support/cli.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { proofsService } from '../../src/proofs/proofsService.js';
import { chainHash, ZERO_HASH } from '../../src/eventstore/hashChain.js';
import { verifyChains } from '../../src/eventstore/verifyChains.js';
import { verifyEvidence } from '../../src/proofs/verifyEvidence.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The checkpoint's signature checked by hand from the C2SP text (not with src/proofs). */
const checkByHand = (note: string, vkey: string) => {
  const [, name, keyIdHex, keyB64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey.trim())!;
  const raw = Buffer.from(keyB64, 'base64');
  expect(raw[0]).toBe(1);
  const pub = raw.subarray(1);
  const keyId = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), pub])).digest().subarray(0, 4);
  expect(keyId.toString('hex')).toBe(keyIdHex);
  const [text, sigs] = note.split('\n\n');
  const line = sigs.trim().split('\n').find((l) => l.startsWith(`\u2014 ${name} `))!;
  const sig = Buffer.from(line.split(' ')[2], 'base64');
  expect(sig.subarray(0, 4).equals(keyId)).toBe(true);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
  const ok = verifySignature(null, Buffer.from(`${text}\n`), key, sig.subarray(4));
  const [origin, size, root] = text.split('\n');
  return { ok, origin, size: BigInt(size), root: Buffer.from(root, 'base64') };
};

describe('transparency log, proofs, evidence and witness', () => {
  let t: TestApp;
  let auditor: Record<string, string>;
  let chiyoda: Record<string, string>;
  let site: Record<string, string>;
  let dir: string;
  let baseUrl: string;
  let auditorToken: string;
  const people = [person(101), person(102), person(103)];

  const eventCount = async () => Number((await t.runtime.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
  const checkpoint = async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/ledger/checkpoint', headers: auditor });
    return r.statusCode === 200 ? r.body : null;
  };
  const waitForCheckpoint = async (size: number) => {
    for (let i = 0; i < 300; i++) {
      const note = await checkpoint();
      if (note && BigInt(note.split('\n')[1]) >= BigInt(size)) return note;
      await sleep(50);
    }
    throw new Error(`no checkpoint reached size ${size}`);
  };
  const vkey = async () => (await t.app.inject({ method: 'GET', url: '/v1/ledger/key', headers: auditor })).body;
  const rows = async () =>
    (await t.runtime.pool.query<{ position: string; stream: string; version: string; hash: Buffer }>('SELECT position, stream, version, hash FROM events')).rows;
  /** Leaf hash computed in the test from the row, by the documented leaf text. */
  const leafOf = (r: { position: string; stream: string; version: string; hash: Buffer }) =>
    refLeafHash(Buffer.from(`{"hash":"${r.hash.toString('hex')}","position":"${r.position}","stream":${JSON.stringify(r.stream)},"version":"${r.version}"}`));

  beforeAll(async () => {
    t = await createTestApp();
    auditorToken = await t.token('auditor', { sub: 'auditor-1' });
    auditor = { authorization: `Bearer ${auditorToken}` };
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk' });
    site = await t.auth('site', { site: 'S001', sub: 'nurse' });
    dir = await mkdtemp(join(tmpdir(), 'vrs-proofs-'));
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100, lingerMs: 0 });
    proofsService(t.runtime).start(100);
    for (const p of people) {
      expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p })).statusCode).toBe(201);
      const dose = { municipality: CHIYODA, coupon: p.coupon, doseNumber: 1, date: '2026-01-10', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' };
      expect((await t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: site, payload: dose })).statusCode).toBe(201);
    }
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs C2SP checkpoints that verify by hand, and proves every event by RFC 9162', async () => {
    const n = await eventCount();
    const note = await waitForCheckpoint(n);
    const cp = checkByHand(note, await vkey());
    expect(cp.ok).toBe(true);
    expect(cp.origin).toBe('vrs-ledger.local/events');
    const tampered = note.replace(/\n(\d+)\n/, (_, s) => `\n${Number(s) + 1}\n`);
    expect(checkByHand(tampered, await vkey()).ok).toBe(false);

    for (const r of await rows()) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/ledger/proofs/inclusion?position=${r.position}&treeSize=${cp.size}`, headers: auditor });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { leafIndex: number; treeSize: number; leafHash: string; path: string[] };
      expect(body.treeSize).toBe(Number(cp.size));
      expect(body.leafHash).toBe(leafOf(r).toString('base64'));
      const path = body.path.map((p) => Buffer.from(p, 'base64'));
      expect(refVerifyInclusion(BigInt(body.leafIndex), cp.size, leafOf(r), path, cp.root)).toBe(true);
    }
  });

  it('proves the newer checkpoint extends the older one', async () => {
    const older = checkByHand((await checkpoint())!, await vkey());
    const p = person(104);
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p })).statusCode).toBe(201);
    const newer = checkByHand(await waitForCheckpoint(Number(older.size) + 1), await vkey());
    const sized = await t.app.inject({ method: 'GET', url: `/v1/ledger/checkpoint?size=${older.size}`, headers: auditor });
    expect(checkByHand(sized.body, await vkey()).root.equals(older.root)).toBe(true);
    const res = await t.app.inject({ method: 'GET', url: `/v1/ledger/proofs/consistency?from=${older.size}&to=${newer.size}`, headers: auditor });
    expect(res.statusCode).toBe(200);
    const path = (res.json() as { path: string[] }).path.map((x) => Buffer.from(x, 'base64'));
    expect(refVerifyConsistency(older.size, newer.size, older.root, newer.root, path)).toBe(true);
    expect(refVerifyConsistency(older.size, newer.size, newer.root, older.root, path)).toBe(false);
  });

  it('answers bad input with 4xx, never 500, and only to auditors', async () => {
    const cases: [string, number, string?][] = [
      ['/v1/ledger/proofs/inclusion?position=abc', 400, 'INVALID_REQUEST'],
      ['/v1/ledger/proofs/inclusion?position=-1', 400, 'INVALID_REQUEST'],
      ['/v1/ledger/proofs/inclusion?position=1&treeSize=99999999999999999999', 400, 'INVALID_REQUEST'],
      ['/v1/ledger/proofs/inclusion?position=1&treeSize=100000', 422, 'TREE_SIZE_BEYOND_LOG'],
      ['/v1/ledger/proofs/inclusion?position=999999', 404, 'LEAF_NOT_IN_LOG'],
      ['/v1/ledger/proofs/inclusion?position=1&treeSize=0', 422, 'LEAF_AFTER_TREE_SIZE'],
      ['/v1/ledger/proofs/consistency?from=5&to=2', 400, 'PROOF_OUT_OF_RANGE'],
      ['/v1/ledger/proofs/consistency?from=1&to=100000', 422, 'TREE_SIZE_BEYOND_LOG'],
      ['/v1/ledger/proofs/consistency?from=x', 400, 'INVALID_REQUEST'],
      ['/v1/ledger/checkpoint?size=100000', 404, 'CHECKPOINT_NOT_FOUND'],
      ['/v1/ledger/checkpoint?log=other', 400, 'INVALID_REQUEST'],
      ['/v1/ledger/checkpoint?size=1&extra=1', 400, 'INVALID_REQUEST'],
      ['/v1/audit/evidence/131016/9999999999', 404, 'RECIPIENT_NOT_FOUND'],
      ['/v1/audit/evidence/131016/12', 400, 'INVALID_REQUEST'],
    ];
    for (const [url, status, code] of cases) {
      const res = await t.app.inject({ method: 'GET', url, headers: auditor });
      expect({ url, status: res.statusCode, code: res.json().error?.code }).toEqual({ url, status, code });
    }
    for (const url of ['/v1/ledger/checkpoint', '/v1/ledger/key', '/v1/ledger/proofs/inclusion?position=1', '/v1/ledger/proofs/consistency?from=1', `/v1/audit/evidence/${CHIYODA}/${people[0].coupon}`]) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: chiyoda })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url, headers: site })).statusCode).toBe(403);
    }
  });

  it('logs reads of personal data in a second tree with its own checkpoints', async () => {
    const read = await t.app.inject({ method: 'GET', url: `/v1/recipients/${CHIYODA}/${people[1].coupon}/history`, headers: auditor });
    expect(read.statusCode).toBe(200);
    const { rows: entries } = await t.runtime.pool.query<{ id: string; at: Date; actor: unknown; record: string; endpoint: string }>(
      'SELECT id, at, actor, record, endpoint FROM access_log ORDER BY id',
    );
    expect(entries.length).toBeGreaterThan(0);
    let note: string | null = null;
    for (let i = 0; i < 200 && !note; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/ledger/checkpoint?log=access', headers: auditor });
      if (r.statusCode === 200 && BigInt(r.body.split('\n')[1]) >= BigInt(entries.length)) note = r.body;
      else await sleep(50);
    }
    const key = (await t.app.inject({ method: 'GET', url: '/v1/ledger/key?log=access', headers: auditor })).body;
    const cp = checkByHand(note!, key);
    expect(cp.ok).toBe(true);
    expect(cp.origin).toBe('vrs-ledger.local/access');
    const last = entries[entries.length - 1];
    const res = await t.app.inject({ method: 'GET', url: `/v1/ledger/proofs/inclusion?log=access&position=${last.id}&treeSize=${cp.size}`, headers: auditor });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { leafIndex: number; leafHash: string; path: string[] };
    // The leaf text as documented: canonical JSON of the row.
    const text = JSON.stringify({ actor: sortKeys(last.actor), at: last.at.toISOString(), endpoint: last.endpoint, id: last.id, record: last.record });
    expect(body.leafHash).toBe(refLeafHash(Buffer.from(text)).toString('base64'));
    expect(refVerifyInclusion(BigInt(body.leafIndex), cp.size, refLeafHash(Buffer.from(text)), body.path.map((p) => Buffer.from(p, 'base64')), cp.root)).toBe(true);
  });

  it('gives an evidence bundle that verifies offline, and says which event and hash fail when a byte is flipped', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/audit/evidence/${CHIYODA}/${people[0].coupon}`, headers: auditor });
    expect(res.statusCode).toBe(200);
    const bundle = res.json();
    expect(bundle.events.map((e: { type: string }) => e.type)).toEqual(['RecipientRegistered', 'VaccinationRecorded']);
    expect(bundle.events[0].view.data.personal).toMatchObject({ name: people[0].name, myNumber: '[recorded]' });
    expect(JSON.stringify(bundle)).not.toContain(people[0].myNumber);
    expect(bundle.state).toMatchObject({ status: 'active', doses: [{ doseNumber: 1 }] });
    expect(verifyEvidence(bundle).findings.filter((f) => !f.ok)).toEqual([]);
    const logged = await t.runtime.pool.query("SELECT 1 FROM access_log WHERE endpoint = 'GET /v1/audit/evidence/{m}/{c}' AND record = $1", [bundle.stream]);
    expect(logged.rowCount).toBe(1);

    const good = join(dir, 'evidence.json');
    await writeFile(good, JSON.stringify(bundle));
    const ok = await runCli(['audit', 'verify', good], {});
    expect(ok.stdout).toContain('VERIFIED');
    expect(ok.code).toBe(0);

    // One flipped character in the stored lot of the dose: its chain hash no longer matches.
    const text = JSON.stringify(bundle);
    const flipped = text.replace('"lot":"FA1234"', '"lot":"FA1235"');
    expect(flipped).not.toBe(text);
    const bad = join(dir, 'evidence-bad.json');
    await writeFile(bad, flipped);
    const failed = await runCli(['audit', 'verify', bad], {});
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED: event recipient-131016-0000000101 version 2 \(position \d+, VaccinationRecorded\): its content and the previous hash give chain hash [0-9a-f]{64}, the bundle says [0-9a-f]{64}/);

    // A flipped bit in an audit path, in the checkpoint's root, in the signature: each fails and is named.
    const pathFlip = structuredClone(bundle);
    const p0 = Buffer.from(pathFlip.events[1].inclusionPath[0], 'base64');
    p0[5] ^= 1;
    pathFlip.events[1].inclusionPath[0] = p0.toString('base64');
    const r1 = verifyEvidence(pathFlip);
    expect(r1.ok).toBe(false);
    expect(r1.findings.filter((f) => !f.ok).map((f) => f.what).join('\n')).toMatch(/version 2 .* is not in the signed tree/);
    const rootFlip = structuredClone(bundle);
    const lines = rootFlip.log.checkpoint.split('\n');
    const root = Buffer.from(lines[2], 'base64');
    root[0] ^= 0x80;
    lines[2] = root.toString('base64');
    rootFlip.log.checkpoint = lines.join('\n');
    expect(verifyEvidence(rootFlip).findings.find((f) => !f.ok)?.what).toMatch(/checkpoint: the signature .* does not verify/);
    const otherKey = verifyEvidence(bundle, 'someone.else+00000000+AQ' + 'A'.repeat(42) + '=');
    expect(otherKey.ok).toBe(false);
  });

  it('writes the same bundle with `vrs audit evidence` (0600, logged as a read), which `vrs audit verify` accepts', async () => {
    const c = t.runtime.config;
    const env = { DATABASE_URL: t.dbUrl, VRS_DATA_DIR: t.dataDir, VRS_MASTER_KEY: c.VRS_MASTER_KEY!, VRS_HMAC_KEY: c.VRS_HMAC_KEY!, VRS_JWT_SECRET: c.VRS_JWT_SECRET! };
    const out = join(dir, 'cli-evidence.json');
    const made = await runCli(['audit', 'evidence', '--municipality', CHIYODA, '--coupon', people[2].coupon, '--out', out], env);
    expect(made.stderr).toContain('wrote');
    expect(made.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const bundle = JSON.parse(await readFile(out, 'utf8'));
    expect(bundle.stream).toBe(`recipient-${CHIYODA}-${people[2].coupon}`);
    expect(bundle.log.verifierKey).toBe(await vkey().then((k) => k.trim()));
    expect(verifyEvidence(bundle).ok).toBe(true);
    const logged = await t.runtime.pool.query("SELECT actor FROM access_log WHERE endpoint = 'vrs audit evidence' AND record = $1", [bundle.stream]);
    expect(logged.rows[0].actor).toMatchObject({ role: 'auditor' });
    const usage = await runCli(['audit', 'evidence', '--municipality', CHIYODA, '--coupon', '12', '--out', out], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--coupon: must be 10 digits/);
  });

  it('catches a consistent rewrite of a stream and its chain: chain check passes, inclusion in the older checkpoint fails, the witness refuses', async () => {
    const state = join(dir, 'witness.json');
    const url = `${baseUrl}/v1/ledger/checkpoint`;
    const first = await runCli(['audit', 'witness', '--checkpoint-url', url, '--state', state, '--token', auditorToken], {});
    expect(first.stderr + first.stdout).toContain('first checkpoint seen');
    expect(first.code).toBe(0);
    const saved = JSON.parse(await readFile(state, 'utf8'));
    const old = checkByHand(saved.checkpoint, saved.verifierKey);

    // The operator, as superuser, rewrites dose 1 of person 102 (the lot) and recomputes the chain from there.
    const target = `recipient-${CHIYODA}-${people[1].coupon}`;
    // The owner (the server's role may not disable a trigger, rewrite events or delete checkpoints).
    const pool = t.runtime.schema.owner;
    const { rows: stream } = await pool.query<{ position: string; version: string; type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>(
      'SELECT position, version, type, data, metadata FROM events WHERE stream = $1 ORDER BY version',
      [target],
    );
    await pool.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    let prev = ZERO_HASH;
    for (const e of stream) {
      const data = e.type === 'VaccinationRecorded' ? { ...e.data, vaccine: { ...(e.data.vaccine as object), lot: 'FA9999' } } : e.data;
      prev = chainHash(prev, { stream: target, version: BigInt(e.version), type: e.type, data, metadata: e.metadata });
      await pool.query('UPDATE events SET data = $2, hash = $3 WHERE position = $1', [e.position, JSON.stringify(data), Buffer.from(prev, 'hex')]);
    }
    await pool.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    expect((await verifyChains(t.runtime.store)).breaks).toEqual([]);

    // The log rebuilt from the rewritten events: the signer refuses to sign a head inconsistent with its last checkpoint.
    await projectionsService(t.runtime).rebuild('ledger_log');
    const proofs = proofsService(t.runtime);
    expect(await proofs.signLog('events')).toBeNull();
    expect(proofs.refused().get('events')).toMatch(/rewritten/);

    // Inclusion of the rewritten event against the auditor's older checkpoint fails.
    const dose = (await rows()).find((r) => r.stream === target && r.version === '2')!;
    const inc = await t.app.inject({ method: 'GET', url: `/v1/ledger/proofs/inclusion?position=${dose.position}&treeSize=${old.size}`, headers: auditor });
    const body = inc.json() as { leafIndex: number; path: string[] };
    expect(refVerifyInclusion(BigInt(body.leafIndex), old.size, leafOf(dose), body.path.map((p) => Buffer.from(p, 'base64')), old.root)).toBe(false);

    // An operator who also deletes the checkpoints and signs the forged tree anew: the witness refuses it.
    await pool.query("DELETE FROM log_checkpoints WHERE log = 'events'");
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(105) })).statusCode).toBe(201);
    await waitForCheckpoint(Number(old.size) + 1);
    const refused = await runCli(['audit', 'witness', '--checkpoint-url', url, '--state', state, '--token', auditorToken], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/WITNESS REFUSES: FORK: the log at size \d+ is not an extension of what it signed at size/);
    expect(JSON.parse(await readFile(state, 'utf8')).checkpoint).toBe(saved.checkpoint);
  });

  it('catches a deleted last event: a rollback, then an inconsistent tree once the log grows again', async () => {
    const state = join(dir, 'witness-2.json');
    const url = `${baseUrl}/v1/ledger/checkpoint`;
    await waitForCheckpoint(await eventCount());
    expect((await runCli(['audit', 'witness', '--checkpoint-url', url, '--state', state, '--token', auditorToken], {})).code).toBe(0);
    const saved = checkByHand(JSON.parse(await readFile(state, 'utf8')).checkpoint, await vkey());

    // The owner (the server's role may not disable a trigger, rewrite events or delete checkpoints).
    const pool = t.runtime.schema.owner;
    await pool.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await pool.query('DELETE FROM events WHERE position = (SELECT max(position) FROM events)');
    await pool.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    await projectionsService(t.runtime).rebuild('ledger_log');
    await pool.query("DELETE FROM log_checkpoints WHERE log = 'events'");
    await proofsService(t.runtime).signLog('events');
    const rollback = await runCli(['audit', 'witness', '--checkpoint-url', url, '--state', state, '--token', auditorToken], {});
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain('WITNESS REFUSES: ROLLBACK');

    // A new event takes the deleted one's place in the tree: no consistency proof from the saved checkpoint holds.
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: person(106) })).statusCode).toBe(201);
    const grown = checkByHand(await waitForCheckpoint(Number(saved.size) + 1), await vkey());
    const res = await t.app.inject({ method: 'GET', url: `/v1/ledger/proofs/consistency?from=${saved.size}&to=${grown.size}`, headers: auditor });
    const path = (res.json() as { path: string[] }).path.map((x) => Buffer.from(x, 'base64'));
    expect(refVerifyConsistency(saved.size, grown.size, saved.root, grown.root, path)).toBe(false);
    const fork = await runCli(['audit', 'witness', '--checkpoint-url', url, '--state', state, '--token', auditorToken], {});
    expect(fork.code).toBe(1);
    expect(fork.stderr).toContain('WITNESS REFUSES: FORK');
  });
});

/** Canonical JSON of a plain value (keys sorted), for the expected leaf text. */
const sortKeys = (v: unknown): unknown =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
