import type pg from 'pg';
import type { CountDelta } from './countKey.js';

/** Adds every delta to its row in one multi-row statement (unnest of column arrays). */
export const upsertCounts = async (tx: pg.PoolClient, table: string, deltas: CountDelta[]) => {
  if (deltas.length === 0) return;
  const cols = { date: [] as string[], pref: [] as string[], muni: [] as string[], sex: [] as string[], age: [] as string[], dose: [] as number[], maker: [] as string[], mw: [] as boolean[], n: [] as string[] };
  for (const { key, change } of deltas) {
    cols.date.push(key.date);
    cols.pref.push(key.prefecture);
    cols.muni.push(key.municipality);
    cols.sex.push(key.sex);
    cols.age.push(key.ageBand);
    cols.dose.push(key.doseNumber);
    cols.maker.push(key.maker);
    cols.mw.push(key.medicalWorker);
    cols.n.push(String(change));
  }
  await tx.query(
    `INSERT INTO ${table} AS t (date, prefecture, municipality, sex, age_band, dose_number, maker, medical_worker, count)
     SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::boolean[], $9::bigint[])
     ON CONFLICT (date, prefecture, municipality, sex, age_band, dose_number, maker, medical_worker)
     DO UPDATE SET count = t.count + EXCLUDED.count`,
    [cols.date, cols.pref, cols.muni, cols.sex, cols.age, cols.dose, cols.maker, cols.mw, cols.n],
  );
};
