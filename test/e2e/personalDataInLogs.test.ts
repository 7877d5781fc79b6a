import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { standardCallers } from '../support/callers.js';
import type { InjectOptions } from 'fastify';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, YOKOHAMA, coupon, myNumberFor } from '../support/people.js';

/**
 * Every endpoint, on its success and failure paths, driven with one known person: none of their personal data
 * may appear in a log line (at trace level) or in an error body, in clear, URL-encoded or JSON-escaped.
 * Bad inputs that an error message might echo are included on purpose.
 */
const who = {
  municipality: CHIYODA,
  coupon: coupon(42),
  addressNumber: 'A42',
  name: '漏洩 検査子',
  nameKana: 'ロウエイ ケンサコ',
  birthDate: '1958-11-23',
  sex: 'F' as const,
  address: '東京都千代田区霞が関九丁目9-9',
  myNumber: myNumberFor(77_123_456),
};
const newName = '改名 試験子';
const badMyNumber = `${who.myNumber.slice(0, 11)}${(Number(who.myNumber[11]) + 1) % 10}`; // wrong check digit
const futureBirth = '2999-08-17';
const impossibleBirth = '1958-02-30';

const secrets = [who.myNumber, badMyNumber, who.name, newName, who.nameKana, 'ロウエイ', who.birthDate, futureBirth, impossibleBirth, who.address, '霞が関九丁目'];
const forms = (s: string) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), s.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)];

let t: TestApp;
let as: Record<'chiyoda' | 'yokohama' | 'site' | 'auditor' | 'admin' | 'ministry', Record<string, string>>;
const answers: { what: string; status: number; body: string }[] = [];

const call = async (label: string, who_: keyof typeof as | null, options: InjectOptions) => {
  const res = await t.app.inject({ ...options, headers: { ...(who_ ? as[who_] : {}), ...(options.headers ?? {}) } });
  answers.push({ what: `${label} → ${res.statusCode}`, status: res.statusCode, body: res.body });
  return res;
};
const base = `/v1/recipients/${CHIYODA}/${who.coupon}`;
const dose = (doseNumber: number, date: string) => ({ municipality: CHIYODA, coupon: who.coupon, doseNumber, date, vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' });

beforeAll(async () => {
  t = await createTestApp({ env: { LOG_LEVEL: 'trace' } });
  as = await standardCallers(t);
  const json = { 'content-type': 'application/json' };

  // Registration: refused shapes and rules first (each could echo a value), then the real one, then duplicates.
  await call('register with a wrong My Number check digit', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, myNumber: badMyNumber } });
  await call('register with a My Number as a number', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, myNumber: Number(who.myNumber) } });
  await call('register with a birth date in the future', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, birthDate: futureBirth } });
  await call('register with an impossible birth date', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, birthDate: impossibleBirth } });
  await call('register with hiragana as kana', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, nameKana: 'ろうえい けんさこ' } });
  await call('register with a name too long', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, name: who.name.repeat(40) } });
  await call('register with an unknown sex', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, sex: who.name } });
  await call('register with the person in an unknown field', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: { ...who, [who.myNumber]: who.name } });
  await call('register with broken JSON', 'chiyoda', { method: 'POST', url: '/v1/recipients', headers: json, payload: `{"myNumber": "${who.myNumber}", "name": "${who.name}", "birthDate": ${who.birthDate}` });
  await call('register with an unquoted My Number', 'chiyoda', { method: 'POST', url: '/v1/recipients', headers: json, payload: `{"myNumber": ${who.myNumber}x}` });
  await call('register by another municipality', 'yokohama', { method: 'POST', url: '/v1/recipients', payload: who });
  await call('register without a token', null, { method: 'POST', url: '/v1/recipients', payload: who });
  await call('register', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: who });
  await call('register again', 'chiyoda', { method: 'POST', url: '/v1/recipients', payload: who });
  await call('register the same My Number elsewhere', 'yokohama', { method: 'POST', url: '/v1/recipients', payload: { ...who, municipality: YOKOHAMA } });

  // 接種状況 and doses.
  await call('status', 'chiyoda', { method: 'GET', url: base });
  await call('status by another municipality', 'yokohama', { method: 'GET', url: base });
  await call('status by the ministry', 'ministry', { method: 'GET', url: base });
  await call('status with a My Number in the path', 'chiyoda', { method: 'GET', url: `/v1/recipients/${CHIYODA}/${who.myNumber}` });
  await call('status with a name in the path', 'chiyoda', { method: 'GET', url: `/v1/recipients/${CHIYODA}/${encodeURIComponent(who.name)}` });
  await call('an unknown route with personal data in path and query', 'chiyoda', { method: 'GET', url: `/v1/people/${who.myNumber}/${encodeURIComponent(who.name)}?birthDate=${who.birthDate}&address=${encodeURIComponent(who.address)}` });
  await call('dose 1', 'site', { method: 'POST', url: '/v1/vaccinations', payload: dose(1, '2025-06-02') });
  await call('dose 2 too early', 'site', { method: 'POST', url: '/v1/vaccinations', payload: dose(2, '2025-06-05') });
  await call('dose before birth', 'site', { method: 'POST', url: '/v1/vaccinations', payload: dose(2, '1958-11-22') });
  await call('dose with a My Number as lot', 'site', { method: 'POST', url: '/v1/vaccinations', payload: { ...dose(2, '2025-07-01'), vaccine: { maker: 'pfizer', lot: who.myNumber } } });
  await call('dose with the name as date', 'site', { method: 'POST', url: '/v1/vaccinations', payload: dose(2, who.name) });
  await call('dose 2', 'site', { method: 'POST', url: '/v1/vaccinations', payload: dose(2, '2025-07-01') });
  await call('correct a dose', 'chiyoda', { method: 'POST', url: `${base}/vaccinations/2/corrections`, payload: { changes: { vaccine: { lot: 'FA5678' } }, reason: 'lot typed wrong' } });
  await call('correct a dose before birth', 'chiyoda', { method: 'POST', url: `${base}/vaccinations/1/corrections`, payload: { changes: { date: '1958-11-22' }, reason: 'typo' } });
  await call('void a dose that does not exist', 'chiyoda', { method: 'POST', url: `${base}/vaccinations/5/void`, payload: { reason: 'never given' } });
  await call('void a dose', 'chiyoda', { method: 'POST', url: `${base}/vaccinations/2/void`, payload: { reason: 'never given' } });

  // Personal details.
  await call('correct details to a future birth date', 'chiyoda', { method: 'POST', url: `${base}/corrections`, payload: { changes: { birthDate: futureBirth }, reason: 'typo' } });
  await call('correct details to hiragana kana', 'chiyoda', { method: 'POST', url: `${base}/corrections`, payload: { changes: { nameKana: 'ろうえい' }, reason: 'typo' } });
  await call('correct details with a My Number change', 'chiyoda', { method: 'POST', url: `${base}/corrections`, payload: { changes: { myNumber: who.myNumber }, reason: 'typo' } });
  await call('correct details by another municipality', 'yokohama', { method: 'POST', url: `${base}/corrections`, payload: { changes: { name: newName }, reason: 'married' } });
  await call('correct details', 'chiyoda', { method: 'POST', url: `${base}/corrections`, payload: { changes: { name: newName }, reason: 'married' } });

  // Transfer look-up and transfer.
  await call('look up with a wrong check digit', 'yokohama', { method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: badMyNumber } });
  await call('look up with letters', 'yokohama', { method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: `${who.myNumber.slice(0, 6)}ABCDEF` } });
  await call('look up with a name', 'yokohama', { method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: who.name } });
  await call('look up with extra fields', 'yokohama', { method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: who.myNumber, name: who.name, birthDate: who.birthDate } });
  await call('look up as a site', 'site', { method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: who.myNumber } });
  await call('look up with the My Number in the URL', 'yokohama', { method: 'POST', url: `/v1/transfers/lookup/${who.myNumber}`, payload: {} });
  await call('look up with the My Number in the query', 'yokohama', { method: 'POST', url: `/v1/transfers/lookup?myNumber=${who.myNumber}`, payload: {} });
  await call('look up', 'yokohama', { method: 'POST', url: '/v1/transfers/lookup', payload: { myNumber: who.myNumber } });
  const transfer = { from: { municipality: CHIYODA, coupon: who.coupon }, myNumber: who.myNumber, consent: { method: 'in-person', at: '2024-01-01T10:00:00+09:00' }, to: { coupon: coupon(4242), addressNumber: 'Y42', address: who.address } };
  await call('transfer with an address too long', 'yokohama', { method: 'POST', url: '/v1/transfers', payload: { ...transfer, to: { ...transfer.to, address: who.address.repeat(60) } } });
  await call('transfer', 'yokohama', { method: 'POST', url: '/v1/transfers', payload: transfer });
  await call('transfer again', 'yokohama', { method: 'POST', url: '/v1/transfers', payload: { ...transfer, to: { ...transfer.to, coupon: coupon(4243) } } });

  // History, access log, erasure.
  await call('history', 'auditor', { method: 'GET', url: `${base}/history` });
  await call('history with a bad asOf', 'auditor', { method: 'GET', url: `${base}/history?asOf=${who.birthDate}` });
  await call('history as of a time', 'auditor', { method: 'GET', url: `${base}/history?asOf=${encodeURIComponent(new Date().toISOString())}` });
  await call('audit log', 'auditor', { method: 'GET', url: `/v1/audit/access?record=recipient-${CHIYODA}-${who.coupon}` });
  await call('audit log with a bad time', 'auditor', { method: 'GET', url: `/v1/audit/access?from=${who.birthDate}x` });
  await call('erase as a municipality', 'chiyoda', { method: 'DELETE', url: `/v1/recipients/${YOKOHAMA}/${coupon(4242)}/personal-data`, payload: { reason: 'retention' } });
  await call('erase', 'admin', { method: 'DELETE', url: `/v1/recipients/${YOKOHAMA}/${coupon(4242)}/personal-data`, payload: { reason: 'retention' } });
  await call('status after erasure', 'yokohama', { method: 'GET', url: `/v1/recipients/${YOKOHAMA}/${coupon(4242)}` });
  await call('register the erased number again with a bad birth date', 'yokohama', { method: 'POST', url: '/v1/recipients', payload: { ...who, municipality: YOKOHAMA, coupon: coupon(4244), birthDate: futureBirth } });
});
afterAll(async () => t.close());

describe('personal data never in logs or error bodies', () => {
  it('drove every endpoint on success and failure paths, and the logs captured the requests', () => {
    const statuses = new Set(answers.map((a) => a.status));
    for (const s of [200, 201, 400, 401, 403, 404, 409, 422]) expect(statuses).toContain(s);
    // One line per request, with its path and status: the log the secrets are searched in is the real one.
    const requestLines = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(answers.length);
    expect(requestLines.every((l) => typeof l.req?.path === 'string' && typeof l.res?.statusCode === 'number')).toBe(true);
  });

  it.each(secrets)('%s is in no log line', (secret) => {
    const leaks = t.logs.filter((line) => forms(secret).some((f) => line.includes(f)));
    expect(leaks).toEqual([]);
  });

  it.each(secrets)('%s is in no error body (nor any write answer)', (secret) => {
    const reads = /^(status|history|look up|audit log)/;
    const leaks = answers.filter((a) => (a.status >= 400 || !reads.test(a.what)) && forms(secret).some((f) => a.body.includes(f))).map((a) => `${a.what}: ${a.body}`);
    expect(leaks).toEqual([]);
  });

  it('the My Number is in no answer at all, reads included', () => {
    const leaks = answers.filter((a) => forms(who.myNumber).some((f) => a.body.includes(f))).map((a) => a.what);
    expect(leaks).toEqual([]);
  });
});
