import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminRoutes } from '../../src/api/routes/admin.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { searchRoutes } from '../../src/api/routes/search.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { CHIYODA, SAPPORO, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const kanas = ['ヤマダ タロウ', 'ヤマダ ハナコ', 'ヤマモト イチロウ', 'スズキ ジロウ', 'サトウ サブロウ'];

describe('GET /v1/recipients (search over recipient_status)', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  let sapporo: Record<string, string>;

  const search = (headers: Record<string, string>, query: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/v1/recipients', headers, query });
  const caughtUp = async () => {
    const head = (await t.runtime.store.head())!.position;
    for (let i = 0; i < 400; i++) {
      const r = await search(chiyoda, { limit: '1' });
      if (BigInt(r.json().asOfPosition) >= head) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('projection did not catch up');
  };

  beforeAll(async () => {
    t = await createTestApp();
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    sapporo = await t.auth('municipality', { municipality: SAPPORO, sub: 'clerk-sapporo' });
    // The same names and birth dates in both municipalities: only scoping keeps them apart.
    for (let i = 0; i < 10; i++) {
      for (const [m, headers] of [[CHIYODA, chiyoda], [SAPPORO, sapporo]] as const) {
        const p = { ...person(i + (m === SAPPORO ? 100 : 0), m), nameKana: kanas[i % kanas.length], birthDate: i % 2 ? '1970-01-02' : '1960-04-01' };
        const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers, payload: p });
        expect(r.statusCode).toBe(201);
      }
    }
    await caughtUp();
  });
  afterAll(async () => t.close());

  it('answers 接種状況 items of the caller’s own municipality with the position they reflect', async () => {
    const r = await search(chiyoda, { municipality: CHIYODA, nameKana: 'ヤマダ タ' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ municipality: CHIYODA, status: 'active', person: { nameKana: 'ヤマダ タロウ', sex: 'M' }, doses: [], version: 1 });
    expect(body.items[0].person).not.toHaveProperty('myNumber');
    expect(body.nextCursor).toBeNull();
    expect(body.asOfPosition).toBeGreaterThan(0);
  });

  it('matches a kana prefix after normalisation (hiragana, half-width, spaces)', async () => {
    for (const q of ['やまだ', 'ﾔﾏﾀﾞ', 'ヤマダ', 'ヤマダハ', 'ヤマ']) {
      const r = await search(chiyoda, { nameKana: q });
      const names = r.json().items.map((i: { person: { nameKana: string } }) => i.person.nameKana);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect(n.replace(/ /g, '').startsWith(q === 'やまだ' || q === 'ﾔﾏﾀﾞ' ? 'ヤマダ' : q)).toBe(true);
    }
    const both = await search(chiyoda, { nameKana: 'ヤマダ', birthDate: '1970-01-02' });
    expect(both.json().items.every((i: { person: { birthDate: string } }) => i.person.birthDate === '1970-01-02')).toBe(true);
  });

  it('never shows another municipality’s people, whatever the query; naming another municipality is 403', async () => {
    const queries: Record<string, string>[] = [{}, { nameKana: 'ヤ' }, { nameKana: 'ス' }, { birthDate: '1960-04-01' }, { status: 'active' }, { limit: '200' }];
    for (const q of queries) {
      const r = await search(chiyoda, q);
      expect(r.statusCode).toBe(200);
      for (const item of r.json().items) expect(item.municipality).toBe(CHIYODA);
    }
    expect((await search(chiyoda, { municipality: SAPPORO })).statusCode).toBe(403);
    const site = await t.auth('site', { site: 'S1' });
    expect((await search(site, {})).statusCode).toBe(403);
    expect((await search(await t.auth('auditor'), {})).statusCode).toBe(403);
    // A Sapporo cursor does not open a Chiyoda page.
    const page = await search(sapporo, { limit: '2' });
    expect((await search(chiyoda, { cursor: page.json().nextCursor })).statusCode).toBe(400);
    expect((await search(chiyoda, { cursor: 'not-a-cursor' })).statusCode).toBe(400);
  });

  it('pages with an opaque cursor: every person once, in a stable order, no kana in the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await search(chiyoda, { limit: '3', ...(cursor ? { cursor } : {}) });
      const body = r.json();
      seen.push(...body.items.map((i: { coupon: string }) => i.coupon));
      cursor = body.nextCursor;
      if (cursor) expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(/ヤ|\u30e4/);
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
  });

  it('records every person it returned in the access log', async () => {
    const r = await search(chiyoda, { nameKana: 'スズキ' });
    const coupons = r.json().items.map((i: { coupon: string }) => i.coupon);
    const { rows } = await t.runtime.pool.query("SELECT record FROM access_log WHERE endpoint = 'GET /v1/recipients' AND actor_sub = 'clerk-chiyoda'");
    for (const c of coupons) expect(rows.map((x) => x.record)).toContain(`recipient-${CHIYODA}-${c}`);
  });

  it('shows an erased person with no personal fields', async () => {
    const who = person(3, CHIYODA);
    const admin = await t.auth('admin', { sub: 'admin-1' });
    const erase = await t.app.inject({ method: 'DELETE', url: `/v1/recipients/${CHIYODA}/${who.coupon}/personal-data`, headers: admin, payload: { reason: 'retention over' } });
    expect(erase.statusCode).toBeLessThan(300);
    await caughtUp();
    const r = await search(chiyoda, { status: 'erased' });
    expect(r.json().items).toEqual([expect.objectContaining({ coupon: who.coupon, status: 'erased', person: null })]);
    const { rows } = await t.runtime.pool.query('SELECT sealed, kana_bix, birth_bix FROM recipient_status WHERE coupon = $1 AND municipality = $2', [who.coupon, CHIYODA]);
    expect(rows[0]).toEqual({ sealed: null, kana_bix: [], birth_bix: null });
    // Not found by what it was: its name and birth date no longer match.
    const byName = await search(chiyoda, { nameKana: who.nameKana });
    expect(byName.json().items.map((i: { coupon: string }) => i.coupon)).not.toContain(who.coupon);
  });

  it('rebuilds on an admin request, keeps answering, and shows lag in /readyz and /metrics', async () => {
    const admin = await t.auth('admin', { sub: 'admin-1' });
    const before = (await search(chiyoda, { limit: '200' })).json().items;
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/projections/recipient_status/rebuild', headers: chiyoda })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/admin/projections/nothing/rebuild', headers: admin })).statusCode).toBe(404);
    const r = await t.app.inject({ method: 'POST', url: '/v1/admin/projections/recipient_status/rebuild?wait=true', headers: admin });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ projection: 'recipient_status', status: 'done' });
    expect((await search(chiyoda, { limit: '200' })).json().items).toEqual(before);

    const ready = (await t.app.inject({ method: 'GET', url: '/readyz' })).json();
    const check = ready.checks.find((c: { name: string }) => c.name === 'projections');
    expect(check).toMatchObject({ ok: true });
    expect(check.detail.map((d: { name: string }) => d.name).sort()).toEqual(['ledger_log', 'recipient_status', 'scan_status', 'statistics']);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/vrs_projection_positions_behind\{projection="recipient_status"\} \d+/);
    expect(metrics).toMatch(/vrs_projection_rebuild_progress\{projection="recipient_status"\} 1/);
    expect(metrics).toMatch(/vrs_projection_events_applied_total\{projection="recipient_status"\} \d+/);
    const list = (await t.app.inject({ method: 'GET', url: '/v1/admin/projections', headers: admin })).json();
    expect(list.projections.find((p: { name: string }) => p.name === 'recipient_status')).toMatchObject({ error: null, rebuild: null });
  });

  it('keeps personal data out of the log', () => {
    const text = t.logs.join('');
    for (const k of kanas) expect(text).not.toContain(k);
    expect(text).not.toContain('やまだ');
  });
});
