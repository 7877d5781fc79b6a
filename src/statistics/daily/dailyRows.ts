import type pg from 'pg';
import { STATISTICS_TABLE } from '../../projections/statistics/statisticsTable.js';
import { cursorRows } from '../cursorRows.js';
import type { DailyQuery } from './dailyQuery.js';
import { dimensionColumns, textDimensions, type Dimension } from './dimensions.js';

export type DailyRow = { date: string; count: number } & Partial<Record<Dimension, string | number | boolean>>;

type Raw = Record<string, string | number | boolean> & { date: string; count: string };

/**
 * Counts per date and the chosen dimensions, in key order, zeros dropped. Column names come from the fixed
 * dimension table, never from input; filters are parameters.
 */
export async function* dailyRows(pool: pg.Pool, q: DailyQuery): AsyncGenerator<DailyRow> {
  const cols = q.groupBy.map((d) => dimensionColumns[d]);
  const select = ['to_char(date, \'YYYY-MM-DD\') AS date', ...q.groupBy.map((d) => `${dimensionColumns[d]} AS "${d}"`)].join(', ');
  const group = ['date', ...cols].join(', ');
  // Byte order for text, whatever the database's collation, so output is the same everywhere.
  const order = ['date', ...q.groupBy.map((d) => (textDimensions.has(d) ? `${dimensionColumns[d]} COLLATE "C"` : dimensionColumns[d]))].join(', ');
  const sql = `SELECT ${select}, sum(count)::text AS count FROM ${STATISTICS_TABLE}
    WHERE ($1::date IS NULL OR date >= $1) AND ($2::date IS NULL OR date <= $2)
      AND ($3::text IS NULL OR prefecture = $3) AND ($4::text IS NULL OR municipality = $4)
    GROUP BY ${group} HAVING sum(count) <> 0 ORDER BY ${order}`;
  const params = [q.from ?? null, q.to ?? null, q.prefecture ?? null, q.municipality ?? null];
  for await (const r of cursorRows<Raw>(pool, sql, params)) {
    const row: DailyRow = { date: r.date, count: Number(r.count) };
    for (const d of q.groupBy) row[d] = r[d];
    yield row;
  }
}
