import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { copyStatusRows } from '../../../src/projections/recipientStatus/copyStatusRows.js';
import { recipientStatusTable } from '../../../src/projections/recipientStatus/recipientStatusTable.js';
import type { StatusRow } from '../../../src/projections/recipientStatus/statusRow.js';
import { loadStatusRows } from '../../../src/projections/recipientStatus/statusRowsSql.js';
import { sealRow } from '../../../src/projections/recipientStatus/storedRow.js';
import { createTestStore } from '../../support/pgStore.js';

/** The bulk load writes rows as COPY text: whatever a field or a JSON string holds must come back as it was. */
describe('copyStatusRows', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => (t = await createTestStore()));
  afterAll(async () => t.cleanup());

  const key = randomBytes(32);
  const bixKey = randomBytes(32);

  it('round-trips backslashes, tabs, line breaks and quotes in text and in JSON', async () => {
    const odd = 'a\\b\tc\nd\re"f\\\\g\\N';
    const row: StatusRow = {
      stream: 'recipient-131016-0000000001',
      municipality: '131016',
      coupon: '0000000001',
      addressNumber: 'A\\1',
      name: odd,
      nameKana: 'ヤマダ\tタロウ',
      birthDate: '1970-03-01',
      sex: 'F',
      status: 'active',
      doses: [{ doseNumber: 1, date: '2021-05-01', vaccine: { maker: 'pfizer', lot: odd }, siteCode: '1312345678', source: 'manual', corrected: false }],
      doseCount: 1,
      lastDoseDate: '2021-05-01',
      nextEligibleDate: null,
      state: { medicalWorker: false, doses: [], transferredFrom: { municipality: odd, coupon: '\\' } } as unknown as StatusRow['state'],
      version: 2n,
      position: 7n,
    };
    await t.store.pool.query(recipientStatusTable.create('copy_escape_test'));
    const client = await t.store.pool.connect();
    try {
      const second = { ...row, stream: 'recipient-131016-0000000002', nameKana: 'ス\\ズキ' };
      await copyStatusRows(client, 'copy_escape_test', [sealRow(row, key, bixKey), sealRow(second, key, bixKey)]);
    } finally {
      client.release();
    }
    const keys = new Map([[row.stream, key], ['recipient-131016-0000000002', key]]);
    const back = await loadStatusRows(t.store.pool, 'copy_escape_test', [row.stream, 'recipient-131016-0000000002'], keys);
    expect(back.get(row.stream)).toEqual(row);
    expect(back.get('recipient-131016-0000000002')).toEqual({ ...row, stream: 'recipient-131016-0000000002', nameKana: 'ス\\ズキ' });
    // Without the key (erased) nothing personal comes back.
    const erased = await loadStatusRows(t.store.pool, 'copy_escape_test', [row.stream], new Map());
    expect(erased.get(row.stream)).toMatchObject({ name: null, nameKana: null, birthDate: null, addressNumber: null });
  });

  it('the table made from the one column list has the columns it always had (names, order, types, nulls, collation)', async () => {
    await t.store.pool.query(recipientStatusTable.create('columns_shape_test'));
    const { rows } = await t.store.pool.query<{ c: string }>(
      `SELECT column_name || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' collate ' || c.collation_name, '') AS c
       FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = 'columns_shape_test'::regclass AND a.attname = c.column_name
       WHERE c.table_name = 'columns_shape_test' ORDER BY c.ordinal_position`,
    );
    expect(rows.map((r) => r.c)).toEqual([
      'stream text not null',
      'municipality text not null',
      'coupon text not null collate C',
      'sealed text',
      'kana_bix text[] not null',
      'birth_bix text',
      'sex text not null',
      'status text not null',
      'doses json not null',
      'dose_count integer not null',
      'last_dose_date date',
      'next_eligible_date date',
      'state json not null',
      'version bigint not null',
      'position bigint not null',
    ]);
    const { rows: keys } = await t.store.pool.query<{ def: string }>(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'columns_shape_test'::regclass AND contype <> 'n'",
    );
    expect(keys.map((k) => k.def)).toEqual(['PRIMARY KEY (stream)']);
  });
});
