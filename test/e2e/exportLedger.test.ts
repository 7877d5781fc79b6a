import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, YOKOHAMA, person, coupon } from '../support/people.js';
import type { RecordedEvent } from '../../src/eventstore/contract.js';

/** Oracle for the registration time column, independent of src/export: Asia/Tokyo by Intl. */
const jst = (d: Date) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
};

const readAll = async (t: TestApp, stream: string) => {
  const out: RecordedEvent[] = [];
  for await (const e of t.runtime.store.readStream(stream)) out.push(e);
  return out;
};
/** recordedAt of the n-th (0-based) VaccinationRecorded of a stream. */
const recordedTime = async (t: TestApp, stream: string, n: number) => jst((await readAll(t, stream)).filter((e) => e.type === 'VaccinationRecorded')[n].recordedAt);

describe('GET /v1/recipients/export: the VRS ledger file', () => {
  let t: TestApp;
  let chiyoda: Record<string, string>;
  let yokohama: Record<string, string>;
  let site: Record<string, string>;
  const a = person(1); // two doses, the second corrected
  const b = person(2, YOKOHAMA); // two doses in Yokohama, moves to Chiyoda, third dose there
  const c = person(3); // dose 1 voided and given again
  const bNew = coupon(9002);

  beforeAll(async () => {
    t = await createTestApp();
    chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
    yokohama = await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-yokohama' });
    site = await t.auth('site', { site: 'S001', sub: 'nurse-1' });
    const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
      const res = await p;
      if (res.statusCode >= 300) throw new Error(`${res.statusCode} ${res.body}`);
    };
    const post = (url: string, headers: Record<string, string>, payload: object) => ok(t.app.inject({ method: 'POST', url, headers, payload }));
    const dose = async (who: { municipality: string; coupon: string }, doseNumber: number, date: string, vaccine: object, siteCode = 'S001') =>
      post('/v1/vaccinations', await t.auth('site', { site: siteCode, sub: `nurse-${siteCode}` }), { municipality: who.municipality, coupon: who.coupon, doseNumber, date, vaccine, siteCode });

    await post('/v1/recipients', chiyoda, a);
    await post('/v1/recipients', yokohama, b);
    await post('/v1/recipients', chiyoda, c);
    await dose(a, 1, '2026-01-10', { maker: 'pfizer', lot: 'FA1234' });
    await dose(a, 2, '2026-02-01', { maker: 'pfizer', lot: 'FA1234' });
    await post(`/v1/recipients/${CHIYODA}/${a.coupon}/vaccinations/2/corrections`, chiyoda, { changes: { vaccine: { lot: 'FA5678' } }, reason: 'lot typed wrong' });
    await dose(b, 1, '2026-03-01', { maker: 'moderna', lot: '3001234' }, 'Y100');
    await dose(b, 2, '2026-03-29', { maker: 'moderna', lot: '3001235' }, 'Y100');
    await post('/v1/transfers', chiyoda, { from: { municipality: YOKOHAMA, coupon: b.coupon }, myNumber: b.myNumber, consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: bNew, addressNumber: 'C-2' } });
    await dose({ municipality: CHIYODA, coupon: bNew }, 3, '2026-10-01', { maker: 'novavax', lot: 'NVX01' });
    await dose(c, 1, '2026-04-01', { maker: 'astrazeneca', lot: 'AZ9' });
    await post(`/v1/recipients/${CHIYODA}/${c.coupon}/vaccinations/1/void`, chiyoda, { reason: 'recorded on the wrong person' });
    await dose(c, 1, '2026-04-02', { maker: 'astrazeneca', lot: 'AZ10' });
  });
  afterAll(async () => t.close());

  const get = (encoding?: string, municipality = CHIYODA, headers = chiyoda) =>
    t.app.inject({ method: 'GET', url: `/v1/recipients/export?municipality=${municipality}${encoding ? `&encoding=${encoding}` : ''}`, headers });

  const expected = async () => {
    const none = ['', '', '', '', '', '', '', ''];
    const empty = (n: number) => Array.from({ length: n }, () => none).flat();
    const aStream = `recipient-${CHIYODA}-${a.coupon}`;
    const bOld = `recipient-${YOKOHAMA}-${b.coupon}`;
    const bStream = `recipient-${CHIYODA}-${bNew}`;
    const cStream = `recipient-${CHIYODA}-${c.coupon}`;
    return [
      // coupon order: a (…01), c (…03), b's new coupon (…9002)
      [a.addressNumber,
        await recordedTime(t, aStream, 0), '20260110', a.coupon, CHIYODA, 'S001', '', 'ファイザー', 'FA1234',
        await recordedTime(t, aStream, 1), '20260201', a.coupon, CHIYODA, 'S001', '', 'ファイザー', 'FA5678',
        ...empty(5)],
      [c.addressNumber,
        await recordedTime(t, cStream, 1), '20260402', c.coupon, CHIYODA, 'S001', '', 'アストラゼネカ', 'AZ10',
        ...empty(6)],
      ['C-2',
        await recordedTime(t, bOld, 0), '20260301', b.coupon, YOKOHAMA, 'Y100', '', '武田/モデルナ', '3001234',
        await recordedTime(t, bOld, 1), '20260329', b.coupon, YOKOHAMA, 'Y100', '', '武田/モデルナ', '3001235',
        await recordedTime(t, bStream, 0), '20261001', bNew, CHIYODA, 'S001', '', 'ノババックス', 'NVX01',
        ...empty(4)],
    ];
  };

  it('writes the header and one line per recipient, field by field, in UTF-8', async () => {
    const res = await get('utf-8');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parse(res.body) as string[][];
    expect(header.slice(0, 9)).toEqual(['個別宛名番号', '1回目接種履歴登録日時', '1回目接種日', '1回目券番号', '1回目接種自治体コード', '1回目接種会場名', '1回目接種医師名', '1回目ワクチンメーカー', '1回目ワクチンロット番号']);
    expect(header).toHaveLength(1 + 7 * 8);
    expect(header.at(-1)).toBe('7回目ワクチンロット番号');
    expect(rows).toEqual(await expected());
    expect(res.body.split('\r\n')).toHaveLength(5); // header, three lines, and the final CRLF
  });

  it('writes the same file in Shift_JIS', async () => {
    const res = await get('shift_jis');
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    const text = iconv.decode(res.rawPayload, 'cp932');
    expect(parse(text)).toEqual(parse((await get()).body));
    // Charset names are case-insensitive: the spelling municipal systems use is the same file.
    expect((await get('Shift_JIS')).rawPayload.equals(res.rawPayload)).toBe(true);
    expect(res.rawPayload.includes(Buffer.from('ファイザー', 'utf8'))).toBe(false);
    expect(res.rawPayload.includes(iconv.encode('ファイザー', 'cp932'))).toBe(true);
  });

  it('logs the read of every exported person', async () => {
    const auditor = await t.auth('auditor', { sub: 'auditor-1' });
    const log = await t.app.inject({ method: 'GET', url: '/v1/audit/access?actor=clerk-chiyoda', headers: auditor });
    const exported = (log.json().entries as { endpoint: string; record: string }[]).filter((e) => e.endpoint === 'GET /v1/recipients/export').map((e) => e.record);
    expect(new Set(exported)).toEqual(new Set([`recipient-${CHIYODA}-${a.coupon}`, `recipient-${CHIYODA}-${c.coupon}`, `recipient-${CHIYODA}-${bNew}`]));
  });

  it('lists the transferred-out person in the old municipality’s file with the doses given there', async () => {
    const [, ...rows] = parse((await get(undefined, YOKOHAMA, yokohama)).body) as string[][];
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(0, 9)).toEqual([b.addressNumber, expect.stringMatching(/^\d{14}$/), '20260301', b.coupon, YOKOHAMA, 'Y100', '', '武田/モデルナ', '3001234']);
    expect(rows[0][17]).toBe(''); // dose 3 was given in Chiyoda
  });

  it('refuses another municipality’s export (403), other roles (403) and a bad code or encoding (400)', async () => {
    expect((await get(undefined, YOKOHAMA)).statusCode).toBe(403);
    expect((await get(undefined, CHIYODA, site)).statusCode).toBe(403);
    expect((await get(undefined, '13101')).statusCode).toBe(400);
    expect((await get('latin1')).statusCode).toBe(400);
  });
});
