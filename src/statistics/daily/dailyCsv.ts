import type { DailyRow } from './dailyRows.js';
import type { Dimension } from './dimensions.js';

/** Daily counts as CSV text chunks: header, then one line per row (values are codes and numbers, never quoted). */
export async function* dailyCsv(rows: AsyncIterable<DailyRow>, groupBy: Dimension[]): AsyncGenerator<string> {
  yield `${['date', ...groupBy, 'count'].join(',')}\n`;
  let chunk = '';
  for await (const r of rows) {
    chunk += `${[r.date, ...groupBy.map((d) => String(r[d])), r.count].join(',')}\n`;
    if (chunk.length > 16384) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
