/// <reference lib="dom" />
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Page } from 'playwright-core';
import { CHIYODA, YOKOHAMA, coupon, person } from '../support/people.js';
import { makeCoupon } from '../fixtures/coupons/makeCoupon.js';
import { lineOf } from '../integration/scans/scanCorpus.js';
import { waitFor } from '../integration/projections/support/projectionDb.js';
import {
  chromiumMissing, expectAccessible, makeUser, newPage, PASSWORD, screenshot, signIn, signedInAs, startConsoleServer, tabTo, type ConsoleServer,
} from './support/consoleServer.js';

/**
 * The console in a real Chromium against the real server (embedded PostgreSQL, projections running): each role's
 * main path from sign-in to result, axe-core on every page, screenshots in test-artefacts/browser.
 */
if (chromiumMissing) console.warn(`browser tests ${chromiumMissing}`);
const suite = chromiumMissing ? describe.skip : describe;

let s: ConsoleServer;
const urls: string[] = [];
const problems: string[] = [];
const pages: Page[] = [];
const people = [1, 2, 3, 4, 5].map((n) => person(n));
const movedIn = person(20, YOKOHAMA);
const imported = [person(30), person(31)];
const today = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const track = (p: Page) => (pages.push(p), p);

suite(`web console in Chromium${chromiumMissing ? ` (${chromiumMissing})` : ''}`, () => {
  beforeAll(async () => {
    s = await startConsoleServer();
    const clerk = await s.t.auth('municipality', { municipality: CHIYODA, sub: 'setup' });
    for (const p of people) expect((await s.t.app.inject({ method: 'POST', url: '/v1/recipients', headers: clerk, payload: p })).statusCode).toBe(201);
    const dose1 = { municipality: CHIYODA, coupon: coupon(1), doseNumber: 1, date: '2025-06-02', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001' };
    expect((await s.t.app.inject({ method: 'POST', url: '/v1/vaccinations', headers: clerk, payload: dose1 })).statusCode).toBe(201);
    const yokohama = await s.t.auth('municipality', { municipality: YOKOHAMA, sub: 'setup-yokohama' });
    expect((await s.t.app.inject({ method: 'POST', url: '/v1/recipients', headers: yokohama, payload: movedIn })).statusCode).toBe(201);
    await makeUser(s.t, 'clerk', 'municipality', { municipality: CHIYODA });
    await makeUser(s.t, 'nurse', 'site', { site: 'S001' });
    await makeUser(s.t, 'mhlw', 'ministry');
    await makeUser(s.t, 'auditor1', 'auditor');
    await makeUser(s.t, 'admin1', 'admin');
    await makeUser(s.t, 'locked-clerk', 'municipality', { municipality: CHIYODA });
    // The search answers from the read model: wait until it has everyone.
    const head = (await s.t.runtime.store.head())!.position;
    // Another test file's open transaction can hold the projections back for a while on a busy machine.
    await waitFor(
      `the search read model at position ${head}`,
      async () => BigInt((await s.t.app.inject({ method: 'GET', url: '/v1/recipients?limit=1', headers: clerk })).json().asOfPosition) >= head,
      90_000,
    );
  }, 180_000);
  afterAll(async () => {
    for (const p of pages) await p.context().close().catch(() => {});
    await s?.close();
  });

  it('sign-in page: Japanese first, accessible, English on request', async () => {
    const page = track(await newPage(s, urls, problems));
    await expect(page.title()).resolves.toBe('VRS コンソール');
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '00-sign-in');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByRole('button', { name: 'サインイン' }).waitFor();
  });

  it('municipality, keyboard only: sign in → search by kana → open the person → record a dose', async () => {
    const page = track(await newPage(s, urls, problems));
    await tabTo(page, 'input[name=username]');
    await page.keyboard.type('clerk');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
    await tabTo(page, 'input[name=nameKana]');
    await page.keyboard.type('セッシュ');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `開く ${coupon(2)}` }).waitFor();
    await expectAccessible(page, 'municipality search');
    await screenshot(page, '10-municipality-search');
    await tabTo(page, `button[aria-label="開く ${coupon(2)}"]`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `接種状況 — 券番号 ${coupon(2)}` }).waitFor();
    await tabTo(page, 'input[name=lot]');
    await page.keyboard.type('FA1234');
    await page.keyboard.press('Enter');
    await page.getByText('記録しました').waitFor();
    await page.getByRole('cell', { name: 'FA1234' }).waitFor();
    await expectAccessible(page, 'municipality person');
    await screenshot(page, '11-municipality-person');
    const { rows } = await s.t.runtime.pool.query<{ metadata: { actor: { sub: string } } }>(`SELECT metadata FROM events WHERE stream = $1 AND type = 'VaccinationRecorded'`, [
      `recipient-${CHIYODA}-${coupon(2)}`,
    ]);
    expect(rows.map((r) => r.metadata.actor.sub)).toEqual(['clerk']);
  });

  it('a refused dose shows its rule in plain Japanese with the earliest allowed date, and writes nothing', async () => {
    const page = track(await signedInAs(s, urls, problems, 'clerk'));
    await page.getByLabel('券番号').fill(coupon(1));
    await page.getByLabel('券番号').press('Enter');
    await page.getByRole('heading', { name: `接種状況 — 券番号 ${coupon(1)}` }).waitFor();
    const before = (await s.t.runtime.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    await page.locator('input[name=date]').fill('2025-06-10');
    await page.locator('input[name=lot]').fill('FA1234');
    await page.getByRole('button', { name: '接種を記録' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('接種間隔が短すぎます。1回目の接種から18日以上あける必要があります。最も早く接種できる日は 2025-06-20 です。');
    await screenshot(page, '12-refused-dose');
    expect((await s.t.runtime.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  it('ministry: the live dashboard counts a dose recorded elsewhere without a reload', async () => {
    const page = track(await signedInAs(s, urls, problems, 'mhlw'));
    const counter = page.getByTestId('doses-today');
    await page.getByText('● ライブ更新中').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=doses-today]')?.textContent !== '');
    const before = Number((await counter.textContent())!.replace(/,/g, ''));
    const res = await s.t.app.inject({
      method: 'POST',
      url: '/v1/vaccinations',
      headers: await s.t.auth('site', { site: 'S009' }),
      payload: { municipality: CHIYODA, coupon: coupon(3), doseNumber: 1, date: today(), vaccine: { maker: 'moderna', lot: '3000001' }, siteCode: 'S009' },
    });
    expect(res.statusCode).toBe(201);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=doses-today]')?.textContent?.replace(/,/g, '')) === n, before + 1, { timeout: 20_000 });
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    // Chiyoda's doses count under 東京都 by name, not under its JIS code 13.
    const prefectures = page.locator('table', { has: page.getByRole('columnheader', { name: '都道府県' }) });
    const names = await prefectures.locator('tbody td:first-child').allTextContents();
    expect(names).toContain('東京都');
    expect(names.filter((n) => /^\d+$/.test(n))).toEqual([]);
    await expectAccessible(page, 'ministry dashboard');
    await screenshot(page, '20-ministry-dashboard');
    await page.getByRole('button', { name: 'オープンデータ' }).click();
    await page.getByRole('link', { name: 'summary_by_date.csv' }).waitFor();
    await expectAccessible(page, 'ministry open data');
  });

  it('site on a 768×1024 tablet: a coupon photo records the dose (QR), and the review queue opens', async () => {
    const page = track(await signedInAs(s, urls, problems, 'nurse', { width: 768, height: 1024 }));
    await expect(page.locator('input[name=coupon]').getAttribute('capture')).resolves.toBe('environment');
    await page.locator('input[name=lot]').fill('FA1234');
    const image = await makeCoupon({ line: lineOf(1, CHIYODA, coupon(4)), layout: 'chiyoda', variant: 'clean', qr: true, seed: 3 });
    await page.locator('input[name=coupon]').setInputFiles({ name: 'coupon.png', mimeType: 'image/png', buffer: image });
    const result = page.getByTestId('scan-result');
    await result.waitFor({ timeout: 30_000 });
    await expect(result.textContent()).resolves.toContain('接種を記録しました');
    await expect(result.textContent()).resolves.toContain('QR');
    await expectAccessible(page, 'site scan');
    await screenshot(page, '30-site-scan');
    await page.getByRole('button', { name: '確認待ち' }).click();
    await page.getByRole('heading', { name: '確認待ち' }).waitFor();
    await expectAccessible(page, 'site review');
    await screenshot(page, '31-site-review');
  });

  it('auditor: a record\'s history as a timeline with who and why, and the access log', async () => {
    const page = track(await signedInAs(s, urls, problems, 'auditor1'));
    await page.getByLabel('自治体コード').fill(CHIYODA);
    await page.getByLabel('券番号').fill(coupon(2));
    await page.getByRole('button', { name: '開く' }).click();
    const timeline = page.getByRole('list', { name: '履歴' });
    await timeline.waitFor();
    await expect(timeline.textContent()).resolves.toMatch(/RecipientRegistered[\s\S]*VaccinationRecorded[\s\S]*clerk \(municipality\)/);
    await expectAccessible(page, 'auditor history');
    await screenshot(page, '40-auditor-history');
    await page.getByRole('button', { name: 'アクセス記録' }).click();
    await page.getByLabel('操作者').fill('clerk');
    await page.getByRole('button', { name: '検索' }).click();
    await page.getByRole('cell', { name: `recipient-${CHIYODA}-${coupon(2)}` }).first().waitFor();
    await expectAccessible(page, 'auditor access log');
    await screenshot(page, '41-auditor-access');
    await page.getByRole('button', { name: 'サインイン記録' }).click();
    await page.getByRole('cell', { name: 'signed-in' }).first().waitFor();
  });

  it('admin: adds a user (password shown once) and sees the read models with their lag', async () => {
    const page = track(await signedInAs(s, urls, problems, 'admin1'));
    await page.getByLabel('ユーザー名').fill('new-analyst');
    await page.getByLabel('役割').selectOption('ministry');
    await page.getByRole('button', { name: 'ユーザーを追加' }).click();
    await expect(page.getByTestId('generated-password').textContent()).resolves.toMatch(/^[A-Za-z0-9]{20}$/);
    await page.getByRole('cell', { name: 'new-analyst', exact: true }).waitFor();
    await expectAccessible(page, 'admin users');
    await screenshot(page, '50-admin-users');
    await page.getByRole('button', { name: 'リードモデル' }).click();
    await page.getByRole('cell', { name: 'recipient_status', exact: true }).waitFor();
    await expectAccessible(page, 'admin projections');
    await screenshot(page, '51-admin-projections');
  });

  it('locks a user out after repeated wrong passwords, and says so in Japanese', async () => {
    const page = track(await newPage(s, urls, problems));
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'locked-clerk', `wrong-password-${i}`);
      await page.getByText('ユーザー名またはパスワードが違います').waitFor();
    }
    await signIn(page, 'locked-clerk', PASSWORD);
    await page.getByText('一時的にロックされています').waitFor();
    await screenshot(page, '60-lockout');
    expect(await page.getByRole('button', { name: 'サインアウト' }).count()).toBe(0);
    // The clerk phones the admin, who lifts the lock from the users page; the right password then works.
    const admin = track(await signedInAs(s, urls, problems, 'admin1'));
    await admin.getByRole('button', { name: 'ロック解除 locked-clerk' }).click();
    await admin.getByText('ロックを解除しました: locked-clerk').waitFor();
    await signIn(page, 'locked-clerk', PASSWORD);
    await page.getByRole('button', { name: 'サインアウト' }).waitFor();
  });

  it('signing out clears every answer; nothing personal in storage', async () => {
    const page = track(await signedInAs(s, urls, problems, 'clerk'));
    await page.getByLabel('氏名（カナ）前方一致').fill('セッシュ');
    await page.getByLabel('氏名（カナ）前方一致').press('Enter');
    await page.getByText(people[0].name).waitFor();
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByRole('button', { name: 'サインイン' }).waitFor();
    expect(await page.content()).not.toContain(people[0].name);
    const storage = await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }));
    expect(storage.session).toEqual([]);
    expect(storage.local.filter((k) => k !== 'vrs.lang')).toEqual([]);
    // The cookie is gone: an API read now answers 401.
    expect(await page.evaluate(async () => (await fetch('/v1/session')).status)).toBe(401);
  });

  it('municipality: CSV import lists the rejected lines with line, field and reason; the ledger export downloads', async () => {
    const page = track(await signedInAs(s, urls, problems, 'clerk'));
    await page.getByRole('button', { name: 'CSV取込' }).click();
    const row = (p: ReturnType<typeof person>, kana = p.nameKana) => [p.coupon, p.addressNumber, p.name, kana, p.birthDate, p.sex === 'M' ? '男' : '女'].join(',');
    const csv = ['券番号,宛名番号,氏名,氏名カナ,生年月日,性別', row(imported[0]), row(imported[1]), row(person(32), 'abc')].join('\r\n');
    await page.locator('input[name=csv]').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.getByText('登録 2 件 · 重複 0 件 · 不備 1 件').waitFor();
    const rejected = page.getByRole('row', { name: /^4 nameKana/ });
    await rejected.waitFor();
    await expectAccessible(page, 'municipality import');
    await screenshot(page, '13-municipality-import');
    await page.getByRole('button', { name: '台帳出力' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'ダウンロード' }).click();
    expect((await download).suggestedFilename()).toMatch(new RegExp(`${CHIYODA}\\.csv$`));
    await expectAccessible(page, 'municipality export');
  });

  it('municipality: the transfer wizard looks up by My Number and takes the person over', async () => {
    const page = track(await signedInAs(s, urls, problems, 'clerk'));
    await page.getByRole('button', { name: '転入' }).click();
    await page.getByLabel('個人番号（マイナンバー）').fill(movedIn.myNumber);
    await page.getByRole('button', { name: '照会' }).click();
    await page.getByText(`${YOKOHAMA} / ${movedIn.coupon}`).waitFor();
    await expectAccessible(page, 'municipality transfer');
    await page.getByRole('button', { name: 'この登録を引き継ぐ' }).click();
    await page.getByLabel('新しい券番号').fill(coupon(40));
    await page.getByLabel('宛名番号').fill('T40');
    await page.locator('form').last().getByRole('button', { name: 'この登録を引き継ぐ' }).click();
    await page.getByRole('heading', { name: `接種状況 — 券番号 ${coupon(40)}` }).waitFor();
    await page.getByText(movedIn.name).waitFor();
    await screenshot(page, '14-municipality-transfer');
  });

  it('site: a scan that needs review shows its image beside the digits read, and typing the line records the dose', async () => {
    const page = track(await signedInAs(s, urls, problems, 'nurse', { width: 768, height: 1024 }));
    await page.locator('input[name=lot]').fill('FA1234');
    const unknown = await makeCoupon({ line: lineOf(1, CHIYODA, '9999999990'), layout: 'sapporo', variant: 'clean', qr: true, seed: 5 });
    await page.locator('input[name=coupon]').setInputFiles({ name: 'coupon.png', mimeType: 'image/png', buffer: unknown });
    await page.getByText('確認が必要です').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '確認待ち' }).click();
    const image = page.getByRole('img', { name: /接種券の写真/ }).first();
    await image.waitFor();
    // decode() waits for the image to load and rejects if it is broken, so a slow fetch is not read as width 0.
    expect(await image.evaluate(async (i) => { await (i as HTMLImageElement).decode(); return (i as HTMLImageElement).naturalWidth; })).toBeGreaterThan(0);
    await page.getByLabel('券面の18桁を入力').first().fill(lineOf(1, CHIYODA, coupon(5)));
    await page.getByRole('button', { name: '確定' }).first().click();
    await page.getByText('接種を記録しました').waitFor();
    await page.getByText('確認待ちはありません').waitFor();
    await expectAccessible(page, 'site review after resolving');
    await screenshot(page, '32-site-review-resolved');
  });

  it('auditor: the state as of a past moment leaves out what came later', async () => {
    const { rows } = await s.t.runtime.pool.query<{ type: string; recorded_at: Date }>(
      `SELECT type, recorded_at FROM events WHERE stream = $1 ORDER BY version`, [`recipient-${CHIYODA}-${coupon(2)}`],
    );
    const registered = rows.find((r) => r.type === 'RecipientRegistered')!.recorded_at.getTime();
    const dosed = rows.find((r) => r.type === 'VaccinationRecorded')!.recorded_at.getTime();
    // A whole second strictly between the two events, written as Tokyo local time for the datetime-local input.
    const between = Math.ceil((registered + 1) / 1000) * 1000;
    expect(between).toBeLessThan(dosed);
    const local = new Date(between + 9 * 3600_000).toISOString().slice(0, 19);
    const page = track(await signedInAs(s, urls, problems, 'auditor1'));
    await page.getByLabel('自治体コード').fill(CHIYODA);
    await page.getByLabel('券番号').fill(coupon(2));
    await page.getByLabel('時点').fill(local);
    await page.getByRole('button', { name: '開く' }).click();
    const timeline = page.getByRole('list', { name: '履歴' });
    await timeline.waitFor();
    await expect(timeline.textContent()).resolves.not.toContain('VaccinationRecorded');
    const state = page.locator('.card', { hasText: '状態' });
    await state.getByText('状態: active').waitFor();
    expect(await state.locator('li').count()).toBe(0);
    await screenshot(page, '42-auditor-as-of');
  });

  it('admin: starts a read-model rebuild from the console', async () => {
    const page = track(await signedInAs(s, urls, problems, 'admin1'));
    await page.getByRole('button', { name: 'リードモデル' }).click();
    const answer = page.waitForResponse((r) => r.url().includes('/v1/admin/projections/statistics/rebuild'));
    await page.getByRole('button', { name: '再構築 statistics' }).click();
    expect((await answer).status()).toBe(202);
  });

  it('no personal data in any URL visited, no CSP violation, no page error', () => {
    expect(urls.length).toBeGreaterThan(20);
    const secrets = [...people, movedIn, ...imported].flatMap((p) => [p.name, p.nameKana, p.birthDate, p.myNumber, p.address]);
    const leaks = urls.filter((u) => {
      let decoded = u;
      try {
        decoded = decodeURIComponent(u);
      } catch {
        /* keep raw */
      }
      return secrets.some((v) => decoded.includes(v) || u.includes(v) || decoded.includes(v.split(' ')[0]));
    });
    expect(leaks).toEqual([]);
    expect(problems).toEqual([]);
  });
});
