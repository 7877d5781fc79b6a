import type pg from 'pg';
import { STATISTICS_TABLE } from '../../projections/statistics/statisticsTable.js';
import { cursorRows } from '../cursorRows.js';

type Raw = { date: string; prefecture: string; sex: string; age_band: string; medical_worker: boolean; dose_number: number; count: string };

/**
 * `prefecture.ndjson`: one line per date × prefecture × gender × age × medical worker × dose (status), the
 * Digital Agency's row shape, key order fixed. Streamed as UTF-8 text chunks.
 */
export async function* prefectureNdjson(pool: pg.Pool): AsyncGenerator<string> {
  const sql = `SELECT to_char(date, 'YYYY-MM-DD') AS date, prefecture, sex, age_band, medical_worker, dose_number, sum(count)::text AS count
    FROM ${STATISTICS_TABLE}
    GROUP BY date, prefecture, sex, age_band, medical_worker, dose_number HAVING sum(count) <> 0
    ORDER BY date, prefecture COLLATE "C", sex COLLATE "C", age_band COLLATE "C", medical_worker, dose_number`;
  let chunk = '';
  for await (const r of cursorRows<Raw>(pool, sql, [])) {
    chunk += `{"date":"${r.date}","prefecture":${JSON.stringify(r.prefecture)},"gender":${JSON.stringify(r.sex)},"age":${JSON.stringify(r.age_band)},"medical_worker":${r.medical_worker},"status":${r.dose_number},"count":${r.count}}\n`;
    if (chunk.length > 16384) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
