import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { allRoutes } from '../../src/api/routes/index.js';
import { openDataRoutes } from '../../src/api/routes/opendata.js';
import { writeOpenData } from '../../src/cli/exportOpendata.js';
import { projectionsService } from '../../src/projections/projectionsService.js';
import { createStatisticsProjector } from '../integration/statistics/support/projectStatistics.js';
import { corrected, fig, recorded, voided } from '../integration/statistics/support/figures.js';

const NAMES =
  '北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県'.split(' ');

const expectedNdjson = [
  '{"date":"2021-04-12","prefecture":"01","gender":"F","age":"-64","medical_worker":false,"status":1,"count":3}',
  '{"date":"2021-04-12","prefecture":"13","gender":"M","age":"65-","medical_worker":true,"status":1,"count":1}',
  '{"date":"2021-05-03","prefecture":"01","gender":"F","age":"-64","medical_worker":false,"status":2,"count":1}',
  '{"date":"2021-05-04","prefecture":"14","gender":"U","age":"UNK","medical_worker":false,"status":3,"count":1}',
  '',
].join('\n');

const doseHeader = 'count_first_shot_general,count_second_shot_general,count_third_shot_general,count_fourth_shot_general,count_fifth_shot_general,count_sixth_shot_general,count_seventh_shot_general';
const expectedByDate = `date,${doseHeader}\n2021-04-12,4,0,0,0,0,0,0\n2021-05-03,0,1,0,0,0,0,0\n2021-05-04,0,0,1,0,0,0,0\n`;
const byPrefectureRow: Record<string, string> = { '01': '3,1,0,0,0,0,0', '13': '1,0,0,0,0,0,0', '14': '0,0,1,0,0,0,0' };
const expectedByPrefecture = `prefecture_code,prefecture_name,${doseHeader}\n${NAMES.map((n, i) => {
  const code = String(i + 1).padStart(2, '0');
  return `${code},${n},${byPrefectureRow[code] ?? '0,0,0,0,0,0,0'}\n`;
}).join('')}`;

describe('open data files', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const s = t.runtime.store;
    const f1 = fig({ municipality: '011002' });
    const f4 = fig({ date: '2021-05-03', municipality: '141003', sex: 'U', ageBand: 'UNK', doseNumber: 3 });
    const f5 = fig({ date: '2021-06-01', municipality: '472018' });
    await s.append('recipient-011002-0000000001', [recorded(f1), recorded(fig({ date: '2021-05-03', municipality: '011002', doseNumber: 2 }))]);
    await s.append('recipient-011002-0000000002', [recorded(f1)]);
    await s.append('recipient-012025-0000000003', [recorded(fig({ municipality: '012025' }))]);
    await s.append('recipient-131016-0000000004', [recorded(fig({ sex: 'M', ageBand: '65-', maker: 'moderna', medicalWorker: true }))]);
    await s.append('recipient-141003-0000000005', [recorded(f4), corrected(f4, { ...f4, date: '2021-05-04' })]);
    await s.append('recipient-472018-0000000006', [recorded(f5), voided(f5)]);
    await projectionsService(t.runtime).ready(); // the read models, made by the owner and granted
    await (await createStatisticsProjector(t.runtime.pool, s))();
  });
  afterAll(async () => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('serves prefecture.ndjson and summary_by_date.csv byte for byte, without a token', async () => {
    const nd = await get('/opendata/prefecture.ndjson');
    expect(nd.statusCode).toBe(200);
    expect(nd.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(nd.rawPayload.equals(Buffer.from(expectedNdjson, 'utf8'))).toBe(true);
    const byDate = await get('/opendata/summary_by_date.csv');
    expect(byDate.rawPayload.equals(Buffer.from(expectedByDate, 'utf8'))).toBe(true);
  });

  it('serves summary_by_prefecture.csv in Shift_JIS with all 47 prefectures named in Japanese', async () => {
    const res = await get('/opendata/summary_by_prefecture.csv');
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(res.rawPayload.equals(iconv.encode(expectedByPrefecture, 'Shift_JIS'))).toBe(true);
    // 01,北海道, in Shift_JIS bytes (checked against an independent encoder).
    const hokkaido = Buffer.from('30312c966b8a4393b92c', 'hex');
    expect(res.rawPayload.indexOf(hokkaido)).toBeGreaterThan(0);
    expect(res.rawPayload.includes(Buffer.from('沖縄県', 'utf8'))).toBe(false);
    expect(iconv.decode(res.rawPayload, 'Shift_JIS').trimEnd().split('\n')).toHaveLength(48);
  });

  it('gzips when the client accepts it, and only then', async () => {
    const zipped = await get('/opendata/summary_by_date.csv', { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(expectedByDate);
    const refused = await get('/opendata/prefecture.ndjson', { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.rawPayload.toString('utf8')).toBe(expectedNdjson);
  });

  it('vrs export-opendata writes the same three files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vrs-opendata-'));
    try {
      await writeOpenData(t.runtime.pool, dir);
      expect(await readFile(join(dir, 'prefecture.ndjson'), 'utf8')).toBe(expectedNdjson);
      expect(await readFile(join(dir, 'summary_by_date.csv'), 'utf8')).toBe(expectedByDate);
      expect((await readFile(join(dir, 'summary_by_prefecture.csv'))).equals(iconv.encode(expectedByPrefecture, 'Shift_JIS'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
