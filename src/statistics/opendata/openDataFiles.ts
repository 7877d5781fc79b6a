import type pg from 'pg';
import { prefectureNdjson } from './prefectureNdjson.js';
import { summaryByDate } from './summaryByDate.js';
import { summaryByPrefecture } from './summaryByPrefecture.js';

export type OpenDataFile = {
  name: string;
  contentType: string;
  /** The file's bytes (or UTF-8 text) as a stream of chunks, read from the statistics table. */
  chunks: (pool: pg.Pool) => AsyncIterable<string | Buffer>;
};

/** The three published files, served under /opendata/ and written by `vrs export-opendata`. */
export const openDataFiles: OpenDataFile[] = [
  { name: 'prefecture.ndjson', contentType: 'application/x-ndjson; charset=utf-8', chunks: prefectureNdjson },
  { name: 'summary_by_date.csv', contentType: 'text/csv; charset=utf-8', chunks: summaryByDate },
  { name: 'summary_by_prefecture.csv', contentType: 'text/csv; charset=Shift_JIS', chunks: summaryByPrefecture },
];
