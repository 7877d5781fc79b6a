import type pg from 'pg';

type SeenEvent = { stream: string; type: string; data: unknown };

/** In the store, an event's personal fields are sealed under `personalSealed` (personalCodec.ts). */
const sealsPersonalData = (data: unknown) =>
  !!data && typeof data === 'object' && ((data as { personalSealed?: unknown }).personalSealed != null || (data as { personal?: unknown }).personal != null);

/**
 * Data keys deleted without an erasure event: a stream holding sealed personal data whose `recipient_keys` row
 * is gone although the stream has no `PersonalDataErased`. Only erasure may delete a key, so a missing one is a
 * key destroyed behind the ledger's back (the person's data made unreadable with nothing in the log to say so).
 * Fed every event of one pass over the log (`see`), then asked once (`missing`).
 */
export const missingDataKeys = () => {
  const personal = new Set<string>();
  const erased = new Set<string>();
  return {
    see: (e: SeenEvent) => {
      if (e.type === 'PersonalDataErased') erased.add(e.stream);
      else if (sealsPersonalData(e.data)) personal.add(e.stream);
    },
    missing: async (pool: pg.Pool, page = 10_000): Promise<string[]> => {
      const wanted = [...personal].filter((s) => !erased.has(s));
      const out: string[] = [];
      for (let i = 0; i < wanted.length; i += page) {
        const batch = wanted.slice(i, i + page);
        const { rows } = await pool.query<{ stream: string }>(
          `SELECT w.stream FROM unnest($1::text[]) AS w(stream)
           WHERE NOT EXISTS (SELECT 1 FROM recipient_keys k WHERE k.stream = w.stream) ORDER BY w.stream`,
          [batch],
        );
        out.push(...rows.map((r) => r.stream));
      }
      return out;
    },
  };
};
