import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { blindIndexKey } from '../../src/personal/blindIndex.js';
import { searchKana } from '../../src/projections/recipientStatus/searchKana.js';
import { searchRecipients, type SearchQuery } from '../../src/projections/recipientStatus/searchRecipients.js';
import type { RecipientStatus } from '../../src/domain/index.js';
import { caughtUp } from '../integration/projections/support/caughtUp.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import { CHIYODA, SAPPORO, person } from '../support/people.js';
import { createTestApp, type TestApp } from '../support/testApp.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const kanas = ['ヤマダ タロウ', 'ヤマダ ハナコ', 'ヤマモト イチロウ', 'サトウ ジロウ', 'ヤマダ タロウイチ', 'ヤマダ タロウジロ'];
const dates = ['1960-04-01', '1970-01-02'];

type Person = { coupon: string; nameKana: string; birthDate: string };

/**
 * A kana prefix shared by many rows of a municipality is paged by walking the municipality in coupon order
 * (bench/growth.ts showed the GIN path reading every match for every page). The walk must give exactly the pages
 * the index path gives: same rows, same order, each once, no other municipality's rows, across batch boundaries.
 */
describe('search: a common kana prefix, walked in coupon order', () => {
  let t: TestApp;
  const people: Person[] = [];
  const statements: string[] = [];

  /** The store's pool, with every statement the search sends (directly or in its transaction) noted. */
  const spied = (pool: pg.Pool): pg.Pool =>
    ({
      query: (...a: Parameters<pg.Pool['query']>) => (statements.push(String(a[0])), pool.query(...a)),
      connect: async () => {
        const c = await pool.connect();
        const query = c.query.bind(c) as (...a: unknown[]) => unknown;
        return Object.assign(c, { query: (...a: unknown[]) => (statements.push(String(a[0])), query(...a)) });
      },
    }) as unknown as pg.Pool;

  const pages = async (q: Omit<SearchQuery, 'municipality' | 'limit' | 'after'>, limit: number, tuning?: { commonKanaMatches: number; walkBatch: number }) => {
    const coupons: string[] = [];
    let after: { coupon: string } | undefined;
    for (let n = 0; n < 100; n++) {
      const page = await searchRecipients(spied(t.runtime.pool), { municipality: CHIYODA, limit, after, ...q }, t.runtime.dataKeys.getMany, blindIndexKey(t.runtime.keys.hmac), tuning);
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      if (page.next) expect(page.rows).toHaveLength(limit);
      for (const r of page.rows) expect(r.municipality).toBe(CHIYODA);
      coupons.push(...page.rows.map((r) => r.coupon));
      if (!page.next) return coupons;
      after = page.next;
    }
    throw new Error('paging did not end');
  };
  const expectedFor = (q: { kanaPrefix?: string; birthDate?: string }) =>
    people
      .filter((p) => (!q.kanaPrefix || searchKana(p.nameKana).startsWith(q.kanaPrefix)) && (!q.birthDate || p.birthDate === q.birthDate))
      .map((p) => p.coupon)
      .sort();

  beforeAll(async () => {
    t = await createTestApp();
    await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
    const chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    const sapporo = await t.auth('municipality', { municipality: SAPPORO, sub: 'clerk-sapporo' });
    for (let i = 0; i < 25; i++) {
      const p = { ...person(100 + ((i * 7) % 25)), nameKana: kanas[i % kanas.length], birthDate: dates[i % dates.length] };
      expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: p })).statusCode).toBe(201);
      people.push({ coupon: p.coupon, nameKana: p.nameKana, birthDate: p.birthDate });
      // The same names elsewhere: the walk must never return them.
      const q = { ...person(500 + i, SAPPORO), nameKana: kanas[i % kanas.length], birthDate: dates[i % dates.length] };
      expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: sapporo, payload: q })).statusCode).toBe(201);
    }
    await waitFor('catch-up', caughtUp(t.runtime.pool, t.runtime.store, ['recipient_status']));
  });
  afterAll(async () => t.close());

  it.each([
    [{ kanaPrefix: 'ヤマ' }, 4],
    [{ kanaPrefix: 'ヤマダ' }, 3],
    [{ kanaPrefix: 'ヤマダハ' }, 2],
    [{ kanaPrefix: 'ヤマダ', birthDate: '1960-04-01' }, 2],
    [{ kanaPrefix: 'ヤマダタロウ' }, 3],
    [{ kanaPrefix: 'ヤマモトイチロウ' }, 1], // longer than the indexed six: compared after opening
    [{ kanaPrefix: 'ヤマダタロウジ' }, 1], // the six match more rows than the whole prefix: none of them skipped
    [{ kanaPrefix: 'スズキ' }, 3], // nobody
  ] as [{ kanaPrefix: string; birthDate?: string }, number][])('%j, %i a page: the walk gives the index path\'s pages', async (q, limit) => {
    const expected = expectedFor(q);
    const walked = await pages(q, limit, { commonKanaMatches: 1, walkBatch: 3 });
    expect(walked).toEqual(expected);
    statements.length = 0;
    expect(await pages(q, limit)).toEqual(expected); // the index path (fewer matches than the default threshold)
    expect(statements.some((s) => s.includes('MATERIALIZED'))).toBe(false);
  });

  it('takes the walk once the prefix has as many matches as the threshold, and not below it', async () => {
    const matches = expectedFor({ kanaPrefix: 'ヤマダ' }).length;
    statements.length = 0;
    await pages({ kanaPrefix: 'ヤマダ' }, 50, { commonKanaMatches: matches, walkBatch: 4 });
    expect(statements.filter((s) => s.includes('MATERIALIZED')).length).toBeGreaterThan(1); // several batches of 4
    statements.length = 0;
    await pages({ kanaPrefix: 'ヤマダ' }, 50, { commonKanaMatches: matches + 1, walkBatch: 4 });
    expect(statements.some((s) => s.includes('MATERIALIZED'))).toBe(false);
  });

  it('a status filter on the walk keeps only that status', async () => {
    const active: RecipientStatus = 'active';
    expect(await pages({ kanaPrefix: 'ヤマダ', status: active }, 3, { commonKanaMatches: 1, walkBatch: 3 })).toEqual(expectedFor({ kanaPrefix: 'ヤマダ' }));
    expect(await pages({ kanaPrefix: 'ヤマダ', status: 'erased' }, 3, { commonKanaMatches: 1, walkBatch: 3 })).toEqual([]);
  });
});
