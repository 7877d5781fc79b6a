import type pg from 'pg';
import iconv from 'iconv-lite';
import { STATISTICS_TABLE } from '../../projections/statistics/statisticsTable.js';
import { doseColumns, MAX_DOSE } from './doseColumns.js';
import { prefectureNames } from '../../domain/codes/prefectures.js';

/** The CSV text of `summary_by_prefecture.csv`: all 47 prefectures in code order, zeros included. */
export const summaryByPrefectureText = async (pool: pg.Pool): Promise<string> => {
  const { rows } = await pool.query<{ prefecture: string; dose_number: number; count: string }>(
    `SELECT prefecture, dose_number, sum(count)::text AS count FROM ${STATISTICS_TABLE} GROUP BY prefecture, dose_number`,
  );
  const byPrefecture = new Map<string, string[]>();
  for (const r of rows) {
    const counts = byPrefecture.get(r.prefecture) ?? new Array<string>(MAX_DOSE).fill('0');
    counts[r.dose_number - 1] = r.count;
    byPrefecture.set(r.prefecture, counts);
  }
  const lines = prefectureNames.map(([code, name]) => `${code},${name},${(byPrefecture.get(code) ?? new Array<string>(MAX_DOSE).fill('0')).join(',')}\n`);
  return `prefecture_code,prefecture_name,${doseColumns.join(',')}\n${lines.join('')}`;
};

/** `summary_by_prefecture.csv` in Shift_JIS (the published encoding): 47 lines, small enough to build whole. */
export async function* summaryByPrefecture(pool: pg.Pool): AsyncGenerator<Buffer> {
  yield iconv.encode(await summaryByPrefectureText(pool), 'Shift_JIS');
}
