import type pg from 'pg';
import type { RecipientStatus } from '../../domain/index.js';
import { RECIPIENT_STATUS_TABLE } from './recipientStatusTable.js';
import type { SearchPosition } from './searchCursor.js';
import { rawToRow, STATUS_COLUMNS } from './statusRowsSql.js';
import type { StatusRow } from './statusRow.js';

export type SearchQuery = {
  municipality: string;
  /** Already in search form (searchKana); '' or undefined: any. */
  kanaPrefix?: string;
  birthDate?: string;
  status?: RecipientStatus;
  after?: SearchPosition;
  limit: number;
};

export type SearchPage = { rows: StatusRow[]; asOfPosition: bigint; next: SearchPosition | null };

/**
 * The smallest string above every string starting with `prefix`, in the column's "C" (code point) order, so a
 * prefix match is a plain index range. A last character that cannot be incremented (U+10FFFF) is dropped and
 * the one before it incremented; null when none can be (no upper bound). The surrogate block holds no
 * character, so U+D7FF is followed by U+E000.
 */
const prefixEnd = (prefix: string): string | null => {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return chars.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
};

/** One statement, so the rows and the checkpoint position they reflect come from one snapshot. */
export const searchRecipients = async (db: pg.Pool, q: SearchQuery): Promise<SearchPage> => {
  const prefix = q.kanaPrefix || null;
  const { rows } = await db.query<Parameters<typeof rawToRow>[0] & { as_of: string; stream: string | null }>(
    `WITH cp AS (SELECT coalesce((SELECT position FROM projection_checkpoints WHERE name = $1), 0) AS as_of)
     SELECT cp.as_of, r.* FROM cp LEFT JOIN LATERAL (
       SELECT ${STATUS_COLUMNS} FROM ${RECIPIENT_STATUS_TABLE}
       WHERE municipality = $2
         AND ($3::text IS NULL OR (kana_normalized >= $3 AND ($4::text IS NULL OR kana_normalized < $4)))
         AND ($5::date IS NULL OR birth_date = $5::date)
         AND ($6::text IS NULL OR status = $6)
         AND ($7::text IS NULL OR (kana_normalized, coupon) > ($7, $8::text))
       ORDER BY kana_normalized, coupon
       LIMIT $9
     ) r ON true`,
    [
      RECIPIENT_STATUS_TABLE,
      q.municipality,
      prefix,
      prefix ? prefixEnd(prefix) : null,
      q.birthDate ?? null,
      q.status ?? null,
      q.after?.kana ?? null,
      q.after?.coupon ?? null,
      q.limit + 1,
    ],
  );
  const asOfPosition = BigInt(rows[0]?.as_of ?? 0);
  const found = rows.filter((r) => r.stream !== null).map(rawToRow);
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return { rows: page, asOfPosition, next: found.length > q.limit && last ? { kana: last.kanaNormalized, coupon: last.coupon } : null };
};
