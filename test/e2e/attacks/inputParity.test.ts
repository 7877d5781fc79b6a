import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { chiyoda, fakeRow, toCsv } from '../../fixtures/csv/makeCsv.js';
import { YOKOHAMA } from '../../support/people.js';

type Field = 'addressNumber' | 'name' | 'nameKana' | 'address';
type Case = [Field, string, string, 'accepted' | string];

/**
 * The API and the CSV import are two doors to the same register: a value one refuses, the other must refuse too
 * (an attacker picks the laxer door). Each value goes through POST /v1/recipients and through an import line.
 */
const cases: Case[] = [
  ['addressNumber', 'markup', '<b>1</b>', 'INVALID_ADDRESS_NUMBER'],
  ['addressNumber', 'a path', '../../etc', 'INVALID_ADDRESS_NUMBER'],
  ['addressNumber', 'a right-to-left override', 'A12\u202e34', 'INVALID_CHARACTERS'],
  ['addressNumber', 'an escape sequence', 'A1\u001b[2J', 'INVALID_CHARACTERS'],
  ['addressNumber', 'a space inside', 'A1 23', 'INVALID_ADDRESS_NUMBER'],
  ['addressNumber', '21 characters', '1'.repeat(21), 'TOO_LONG'],
  ['addressNumber', 'full-width digits and letters (the control)', 'Ａ１２３－４', 'accepted'],
  ['name', 'a right-to-left override', '見本\u202e太郎', 'INVALID_CHARACTERS'],
  ['name', 'an isolate', '\u2067見本 太郎\u2069', 'INVALID_CHARACTERS'],
  ['name', 'a bell', '見本\u0007太郎', 'INVALID_CHARACTERS'],
  ['name', 'a C1 control (NEL)', '見本\u0085太郎', 'INVALID_CHARACTERS'],
  ['name', '101 characters', '見'.repeat(101), 'TOO_LONG'],
  ['name', 'markup (plain text, kept as written: the control)', '<i>見本</i> 太郎', 'accepted'],
  ['nameKana', 'a left-to-right mark', 'ミホン\u200eタロウ', 'INVALID_CHARACTERS'],
  ['address', 'an isolate', '東京都\u2066千代田区\u2069', 'INVALID_CHARACTERS'],
  ['address', '301 characters', '東'.repeat(301), 'TOO_LONG'],
];

describe('attack: values the API takes and the import refuses (or the other way round)', () => {
  let t: TestApp;
  let clerk: Record<string, string>;
  let n = 100;
  beforeAll(async () => {
    t = await createTestApp();
    clerk = await t.auth('municipality', { municipality: chiyoda, sub: 'clerk-chiyoda' });
  });
  afterAll(async () => t?.close());

  const viaApi = async (field: Field, value: string) => {
    const row = fakeRow(++n, { [field]: value });
    const res = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: { ...row, sex: row.sex === '1' ? 'M' : 'F' } });
    if (res.statusCode === 201) return 'accepted';
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; message: string; details: { issues: { field: string }[] } } };
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.details.issues.map((i) => i.field)).toContain(field);
    return 'refused';
  };
  const viaImport = async (field: Field, value: string) => {
    const row = fakeRow(++n, { [field]: value });
    const res = await t.app.inject({ method: 'POST', url: '/v1/recipients/import', headers: { ...clerk, 'content-type': 'text/csv; charset=utf-8' }, payload: toCsv([row]) });
    expect(res.statusCode).toBe(200);
    const answer = res.json() as { imported: number; rejected: { line: number; errors: { field: string; code: string; message: string }[] }[] };
    if (answer.imported === 1) return { outcome: 'accepted' };
    expect(answer.rejected).toHaveLength(1);
    const mine = answer.rejected[0].errors.filter((e) => e.field === field);
    expect(mine).toHaveLength(1);
    expect(mine[0].message).not.toContain(value);
    return { outcome: 'refused', code: mine[0].code };
  };

  it.each(cases)('%s with %s: both doors answer alike', async (field, _name, value, expected) => {
    const api = await viaApi(field, value);
    const imported = await viaImport(field, value);
    expect({ api, import: imported.outcome }).toEqual({ api: expected === 'accepted' ? 'accepted' : 'refused', import: expected === 'accepted' ? 'accepted' : 'refused' });
    if (expected !== 'accepted') expect(imported.code).toBe(expected);
  });

  it('the same address number rules hold for a personal-details correction and a transfer’s new registration', async () => {
    const row = fakeRow(++n);
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: { ...row, sex: 'M' } })).statusCode).toBe(201);
    const correction = await t.app.inject({
      method: 'POST',
      url: `/v1/recipients/${chiyoda}/${row.coupon}/corrections`,
      headers: clerk,
      payload: { changes: { name: '見本\u202e太郎' }, reason: 'typo' },
    });
    expect(correction.statusCode).toBe(400);
    expect(correction.json().error.details.issues.map((i: { field: string }) => i.field)).toContain('changes.name');

    const yokohama = await t.auth('municipality', { municipality: YOKOHAMA, sub: 'clerk-yokohama' });
    for (const addressNumber of ['../x', '<b>', 'A\u202e1']) {
      const transfer = await t.app.inject({
        method: 'POST',
        url: '/v1/transfers',
        headers: yokohama,
        payload: { from: { municipality: chiyoda, coupon: row.coupon }, to: { coupon: '0000000777', addressNumber } },
      });
      expect(transfer.statusCode).toBe(400);
      expect(transfer.json().error.details.issues.map((i: { field: string }) => i.field)).toContain('to.addressNumber');
    }
  });

  it('a reason with a bidi control is refused, a reason over several lines is not', async () => {
    const row = fakeRow(++n);
    expect((await t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: { ...row, sex: 'M' } })).statusCode).toBe(201);
    const url = `/v1/recipients/${chiyoda}/${row.coupon}/corrections`;
    const bidi = await t.app.inject({ method: 'POST', url, headers: clerk, payload: { changes: { address: '東京都' }, reason: 'moved\u202e' } });
    expect(bidi.statusCode).toBe(400);
    const lines = await t.app.inject({ method: 'POST', url, headers: clerk, payload: { changes: { address: '東京都' }, reason: 'moved\nwithin the ward' } });
    expect(lines.statusCode).toBe(201);
  });
});
