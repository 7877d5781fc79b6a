import type pg from 'pg';
import { STATISTICS_TABLE } from '../../projections/statistics/statisticsTable.js';
import { cursorRows } from '../cursorRows.js';
import { doseColumns, MAX_DOSE } from './doseColumns.js';

type Raw = { date: string; dose_number: number; count: string };

/** `summary_by_date.csv`: one line per date with any dose, a count column per dose number. UTF-8, LF. */
export async function* summaryByDate(pool: pg.Pool): AsyncGenerator<string> {
  yield `date,${doseColumns.join(',')}\n`;
  const sql = `SELECT to_char(date, 'YYYY-MM-DD') AS date, dose_number, sum(count)::text AS count FROM ${STATISTICS_TABLE}
    GROUP BY date, dose_number HAVING sum(count) <> 0 ORDER BY date, dose_number`;
  let chunk = '';
  let date: string | null = null;
  let counts: string[] = [];
  const flush = () => {
    if (date !== null) chunk += `${date},${counts.join(',')}\n`;
  };
  for await (const r of cursorRows<Raw>(pool, sql, [])) {
    if (r.date !== date) {
      flush();
      date = r.date;
      counts = new Array<string>(MAX_DOSE).fill('0');
    }
    counts[r.dose_number - 1] = r.count;
    if (chunk.length > 16384) {
      yield chunk;
      chunk = '';
    }
  }
  flush();
  if (chunk) yield chunk;
}
