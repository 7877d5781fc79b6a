import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { standardCallers } from '../../support/callers.js';
import { CHIYODA, YOKOHAMA, coupon, myNumberFor } from '../../support/people.js';

/**
 * The raw `events` table, read with SQL after a person's registration, details correction, a dose and a move:
 * My Number, name, kana, address and exact birth date are sealed in every event, never stored in clear.
 */
describe('personal data at rest in the events table', () => {
  let t: TestApp;
  const who = {
    municipality: CHIYODA,
    coupon: coupon(4711),
    addressNumber: 'A4711',
    name: '暗号 確認子',
    nameKana: 'アンゴウ カクニンコ',
    birthDate: '1958-11-23',
    sex: 'F' as const,
    address: '東京都千代田区霞が関七丁目7-7',
    myNumber: myNumberFor(55_443_322),
  };
  const corrected = { name: '暗号 改名子', nameKana: 'アンゴウ カイメイコ', birthDate: '1958-12-03', address: '東京都千代田区丸の内八丁目8-8' };
  const newAddress = '神奈川県横浜市中区見本町9-9';

  /** Each value as stored text might hold it: as written, JSON-escaped (\uXXXX), and dates without separators. */
  const forms = (s: string) => [s, s.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), ...(/^\d{4}-\d\d-\d\d$/.test(s) ? [s.replaceAll('-', ''), s.replaceAll('-', '/')] : [])];
  const secrets = [who.myNumber, who.name, '確認子', who.nameKana, 'カクニンコ', who.birthDate, who.address, '霞が関七丁目', ...Object.values(corrected), '改名子', newAddress];

  beforeAll(async () => {
    t = await createTestApp();
    const as = await standardCallers(t);
    const post = async (url: string, headers: Record<string, string>, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url, headers, payload });
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    };
    const base = `/v1/recipients/${CHIYODA}/${who.coupon}`;
    await post('/v1/recipients', as.chiyoda, who);
    await post(`${base}/corrections`, as.chiyoda, { changes: corrected, reason: 'typed from the wrong form' });
    await post('/v1/vaccinations', as.site, { municipality: CHIYODA, coupon: who.coupon, doseNumber: 1, date: '2026-01-10', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });
    await post('/v1/transfers', as.yokohama, { from: { municipality: CHIYODA, coupon: who.coupon }, myNumber: who.myNumber, consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: coupon(4712), addressNumber: 'Y4712', address: newAddress } });
  });
  afterAll(async () => t?.close());

  it('holds the events, and the API still reads the person back from them', async () => {
    const { rows } = await t.runtime.pool.query<{ type: string }>('SELECT type FROM events ORDER BY position');
    expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['RecipientRegistered', 'RecipientDetailsCorrected', 'VaccinationRecorded', 'RecipientTransferredOut', 'RecipientTransferredIn']));
    const res = await t.app.inject({ method: 'GET', url: `/v1/recipients/${YOKOHAMA}/${coupon(4712)}`, headers: await t.auth('municipality', { municipality: YOKOHAMA }) });
    expect(res.json().person).toMatchObject({ name: corrected.name, nameKana: corrected.nameKana, birthDate: corrected.birthDate });
  });

  it('never stores My Number, name, kana, address or exact birth date in clear in stream, data or metadata', async () => {
    const { rows } = await t.runtime.pool.query<{ position: string; type: string; text: string }>(
      'SELECT position, type, stream || data::text || metadata::text AS text FROM events ORDER BY position',
    );
    expect(rows.some((r) => r.text.includes('typed from the wrong form'))).toBe(true); // what is not personal is there in clear
    const found = rows.flatMap((r) => secrets.flatMap(forms).filter((s) => r.text.includes(s)).map((s) => `${r.type}@${r.position}: ${s}`));
    expect(found).toEqual([]);
  });
});
