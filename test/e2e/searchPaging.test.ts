import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { blindIndexKey } from '../../src/personal/blindIndex.js';
import { sealRow } from '../../src/projections/recipientStatus/storedRow.js';
import { upsertStatusRows } from '../../src/projections/recipientStatus/statusRowsSql.js';
import { searchKana } from '../../src/projections/recipientStatus/searchKana.js';
import { caughtUp } from '../integration/projections/support/caughtUp.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import { CHIYODA, coupon, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
// Repeated names (ties broken by coupon), a name equal to the prefix, hiragana and half-width forms, non-matches.
const kanas = ['ヤマダ タロウ', 'ヤマモト イチロウ', 'やまだ たろう', 'ヤマ', 'ｽｽﾞｷ ｲﾁﾛｳ', 'ヤマグチ ハナコ', 'サトウ ジロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'];
const dates = ['1960-04-01', '1970-01-02', '1960-04-01'];

type Person = { coupon: string; nameKana: string; birthDate: string };
type Item = { coupon: string; person: { nameKana: string; birthDate: string } };
type Query = { nameKana?: string; birthDate?: string };

/** Search order: coupon (the kana is sealed in the read model, so it cannot order the table). */
const before = (a: Person, b: Person) => a.coupon < b.coupon;
const expectedFor = (people: Person[], q: Query) =>
  people
    .filter((p) => (!q.nameKana || searchKana(p.nameKana).startsWith(searchKana(q.nameKana))) && (!q.birthDate || p.birthDate === q.birthDate))
    .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
    .map((p) => p.coupon);

describe('search keyset pages with a kana prefix and a birth date', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  const people: Person[] = [];

  const register = async (n: number, nameKana: string, birthDate: string) => {
    const p = { ...person(n), nameKana, birthDate };
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p })).statusCode).toBe(201);
    people.push({ coupon: p.coupon, nameKana, birthDate });
  };
  const page = async (q: Query, limit: number, cursor?: string) => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query: { ...q, limit: String(limit), ...(cursor ? { cursor } : {}) } });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { items: Item[]; nextCursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    if (body.nextCursor) expect(body.items).toHaveLength(limit); // only the last page is short
    return body;
  };
  /** Every page from `cursor` on. */
  const rest = async (q: Query, limit: number, cursor?: string) => {
    const coupons: string[] = [];
    let next: string | null | undefined = cursor;
    do {
      const body = await page(q, limit, next ?? undefined);
      for (const i of body.items) {
        if (q.birthDate) expect(i.person.birthDate).toBe(q.birthDate);
        if (q.nameKana) expect(searchKana(i.person.nameKana).startsWith(searchKana(q.nameKana))).toBe(true);
      }
      coupons.push(...body.items.map((i) => i.coupon));
      next = body.nextCursor;
    } while (next);
    return coupons;
  };
  const settle = () => waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, ['recipient_status']));

  beforeAll(async () => {
    t = await createTestApp();
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    // Coupons registered out of order, so the coupon tie-break is not the order of registration.
    for (let i = 0; i < 32; i++) await register(100 + ((i * 13) % 32), kanas[i % kanas.length], dates[i % dates.length]);
    await settle();
  });
  afterAll(async () => t.close());

  it.each([
    [{ nameKana: 'ヤマ' }, 3],
    [{ nameKana: 'やまだ' }, 2],
    [{ nameKana: 'ﾔﾏ', birthDate: '1960-04-01' }, 2],
    [{ nameKana: 'ヤマダ', birthDate: '1970-01-02' }, 1],
    [{ birthDate: '1970-01-02' }, 3],
    [{ birthDate: '1960-04-01' }, 4],
    // Longer than the indexed prefixes: looked up by the first six, the rest compared after opening the rows.
    [{ nameKana: 'ヤマモト イチロ' }, 1],
    [{ nameKana: 'ﾔﾏｸﾞﾁﾊﾅｺ' }, 2],
  ] as [Query, number][])('%j, %i a page: in order, each row once, none left out', async (q, limit) => {
    const expected = expectedFor(people, q);
    expect(expected.length).toBeGreaterThan(limit); // several pages
    expect(await rest(q, limit)).toEqual(expected);
  });

  it('a row inserted between pages makes no page repeat or skip a row: only rows after the cursor show up', async () => {
    const q = { nameKana: 'ヤマ', birthDate: '1960-04-01' };
    const originals = expectedFor(people, q);
    const first = await page(q, 3);
    const second = await page(q, 3, first.nextCursor!);
    const seen = [...first.items, ...second.items].map((i) => i.coupon);
    expect(seen).toEqual(originals.slice(0, 6));
    const last = second.items[2];
    const lastPerson = people.find((p) => p.coupon === last.coupon)!;

    await register(1, 'ヤマア', q.birthDate); // sorts first: before the cursor
    await register(50, lastPerson.nameKana, q.birthDate); // the cursor row's name, a lower coupon: before it
    await register(900, lastPerson.nameKana, q.birthDate); // the cursor row's name, a higher coupon: after it
    await register(901, 'ヤマン', q.birthDate); // sorts last
    await register(902, 'ヤマア', '1970-01-02'); // another birth date: never
    await register(903, 'スズキ', q.birthDate); // another name: never
    await settle();

    const after = await rest(q, 3, second.nextCursor!);
    const all = [...seen, ...after];
    expect(new Set(all).size).toBe(all.length); // no row twice
    for (const c of originals) expect(all.filter((x) => x === c)).toHaveLength(1); // every row there before, once
    const now = expectedFor(people, q);
    expect(after).toEqual(now.slice(now.indexOf(last.coupon) + 1)); // exactly the rows after the cursor, in order
    expect(after).toEqual(expect.arrayContaining([coupon(900), coupon(901)]));
    expect(after).not.toContain(coupon(50));
    // A fresh walk sees the new rows in their place.
    expect(await rest(q, 3)).toEqual(now);
  });

  it('a prefix ending in the highest character (U+10FFFF), or just below the surrogates (U+D7FF), is still a prefix match, not a 500', async () => {
    const find = async (nameKana: string) => {
      const r = await t.app.inject({ method: 'GET', url: '/v1/recipients', headers: chiyoda, query: { nameKana } });
      expect(r.statusCode).toBe(200);
      return (r.json().items as { coupon: string }[]).map((i) => i.coupon).sort();
    };
    expect(await find('ヤマ\u{10FFFF}')).toEqual([]);
    expect(await find('\u{10FFFF}')).toEqual([]);
    // Names no registration can give (they must be katakana), written straight into the read model, so the
    // range's edges have rows on both sides.
    const rows = [
      ['T1', 'ヤ\uD7FF\u{10FFFF}'],
      ['T2', 'ヤ\uE000'],
      ['T3', 'ヤ\u{10FFFF}ア'],
      ['T4', 'ュ'],
      ['T5', '\u{10FFFF}ア'],
      ['T6', '\u{10FFFF}\u{10FFFF}'],
    ];
    const streams = rows.map(([c]) => `test-edge-${c}`);
    const keys = await t.runtime.dataKeys.forStreams(streams);
    const bixKey = blindIndexKey(t.runtime.keys.hmac);
    const stored = rows.map(([c, kana], i) =>
      sealRow(
        { stream: streams[i], municipality: CHIYODA, coupon: c, addressNumber: 'A', name: 'x', nameKana: kana, birthDate: '1960-04-01', sex: 'U', status: 'active', doses: [], doseCount: 0, lastDoseDate: null, nextEligibleDate: null, state: { medicalWorker: false, doses: [] }, version: 1n, position: 1n },
        keys.get(streams[i])!,
        bixKey,
      ),
    );
    const client = await t.runtime.pool.connect();
    try {
      await upsertStatusRows(client, 'recipient_status', stored);
    } finally {
      client.release();
    }
    try {
      expect(await find('ヤ\uD7FF')).toEqual(['T1']);
      expect(await find('ヤ\u{10FFFF}')).toEqual(['T3']);
      expect(await find('\u{10FFFF}')).toEqual(['T5', 'T6']);
      expect(await find('\u{10FFFF}\u{10FFFF}')).toEqual(['T6']);
    } finally {
      await t.runtime.pool.query("DELETE FROM recipient_status WHERE stream LIKE 'test-edge-%'");
    }
  });
});
