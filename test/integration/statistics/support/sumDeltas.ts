import type pg from 'pg';
import type { SseMessage } from './sseClient.js';

type Delta = { date: string; prefecture: string; municipality: string; sex: string; ageBand: string; doseNumber: number; maker: string; medicalWorker: boolean; change: number };

const key = (d: Omit<Delta, 'change'>) => [d.date, d.prefecture, d.municipality, d.sex, d.ageBand, d.doseNumber, d.maker, d.medicalWorker].join('|');

/** The counts a client's delta messages add up to, zeros dropped, as a sorted key → count object. */
export const sumDeltas = (messages: SseMessage[]): Record<string, number> => {
  const sum = new Map<string, number>();
  for (const m of messages.filter((x) => x.event === 'delta')) {
    for (const d of (JSON.parse(m.data) as { deltas: Delta[] }).deltas) sum.set(key(d), (sum.get(key(d)) ?? 0) + d.change);
  }
  return Object.fromEntries([...sum].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/** The statistics table in the same shape. */
export const tableCounts = async (pool: pg.Pool): Promise<Record<string, number>> => {
  const { rows } = await pool.query<Omit<Delta, 'change'> & { count: string }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, prefecture, municipality, sex, age_band AS "ageBand", dose_number AS "doseNumber", maker, medical_worker AS "medicalWorker", count::text
     FROM statistics_counts WHERE count <> 0`,
  );
  return Object.fromEntries(rows.map((r) => [key(r), Number(r.count)] as const).sort(([a], [b]) => (a < b ? -1 : 1)));
};
