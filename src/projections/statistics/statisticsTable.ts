import type { ProjectionTable } from '../projection.js';

/** Logical (and live physical) name of the counts table. */
export const STATISTICS_TABLE = 'statistics_counts';

/** Few rows, each updated over and over (count + n): half of each page kept free so the updates stay HOT. */
export const STATISTICS_FILLFACTOR = 50;

/**
 * One row per combination of dimensions. Rows whose count falls back to zero stay (an upsert cannot delete in
 * the same statement); readers drop them.
 */
export const statisticsTable: ProjectionTable = {
  name: STATISTICS_TABLE,
  create: (t) => `CREATE TABLE IF NOT EXISTS ${t} (
    date date NOT NULL,
    prefecture text NOT NULL,
    municipality text NOT NULL,
    sex text NOT NULL,
    age_band text NOT NULL,
    dose_number smallint NOT NULL,
    maker text NOT NULL,
    medical_worker boolean NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (date, prefecture, municipality, sex, age_band, dose_number, maker, medical_worker)
  ) WITH (fillfactor = ${STATISTICS_FILLFACTOR})`,
  indexes: (t) => [`CREATE INDEX IF NOT EXISTS ${t}_prefecture_date ON ${t} (prefecture, date)`],
};
