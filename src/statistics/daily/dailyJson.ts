import type { DailyQuery } from './dailyQuery.js';
import type { DailyRow } from './dailyRows.js';

/** The daily answer as JSON text chunks: `{from, to, prefecture, municipality, groupBy, rows: [...]}`, streamed. */
export async function* dailyJson(rows: AsyncIterable<DailyRow>, q: DailyQuery): AsyncGenerator<string> {
  const head = { from: q.from ?? null, to: q.to ?? null, prefecture: q.prefecture ?? null, municipality: q.municipality ?? null, groupBy: q.groupBy };
  yield `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  let chunk = '';
  let first = true;
  for await (const r of rows) {
    chunk += (first ? '' : ',') + JSON.stringify(r);
    first = false;
    if (chunk.length > 16384) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]}`;
}
