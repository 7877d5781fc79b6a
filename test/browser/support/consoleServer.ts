/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { makeUser, PASSWORD } from '../../support/consoleUsers.js';
import { projectionsService } from '../../../src/projections/projectionsService.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Browser tests need Debian's chromium (`.ci/run` installs it); without it they are reported skipped, with this reason. */
export const chromiumMissing = existsSync(CHROMIUM) ? undefined : `skipped: ${CHROMIUM} is absent (apt-get install -y chromium fonts-noto-cjk)`;

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTEFACTS = `${root}test-artefacts/browser`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as never;

export type ConsoleServer = { t: TestApp; url: string; browser: Browser; close: () => Promise<void> };

/** The real server (embedded PostgreSQL, projections running) on a free port, the built console, and Chromium. */
export const startConsoleServer = async (): Promise<ConsoleServer> => {
  execFileSync(process.execPath, [`${root}scripts/buildWeb.mjs`, '--if-stale'], { stdio: 'inherit' });
  mkdirSync(ARTEFACTS, { recursive: true });
  const t = await createTestApp();
  await projectionsService(t.runtime).start({ log: quiet, lockRetryMs: 100 });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    t,
    url,
    browser,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
};

/** Every URL a page asked for or showed, to check that no personal value ever travelled in one. */
export const watchUrls = (page: Page, into: string[]) => {
  page.on('request', (r) => into.push(r.url()));
  page.on('framenavigated', (f) => into.push(f.url()));
};

/** CSP violations and page errors end up here; each test expects none. */
export const watchProblems = (page: Page, into: string[]) => {
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) into.push(m.text());
  });
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
};

export const newPage = async (s: ConsoleServer, urls: string[], problems: string[], viewport = { width: 1280, height: 900 }) => {
  const context: BrowserContext = await s.browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  watchUrls(page, urls);
  watchProblems(page, problems);
  await page.goto(s.url);
  return page;
};

export const signIn = async (page: Page, username: string, password = PASSWORD) => {
  await page.getByLabel('ユーザー名').fill(username);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'サインイン' }).click();
};

export const signedInAs = async (s: ConsoleServer, urls: string[], problems: string[], username: string, viewport?: { width: number; height: number }) => {
  const page = await newPage(s, urls, problems, viewport);
  await signIn(page, username);
  await page.getByRole('button', { name: 'サインアウト' }).waitFor();
  return page;
};

/** axe-core, run inside the page (evaluated, not injected as a script tag: the CSP admits no inline script). */
export const expectAccessible = async (page: Page, name: string) => {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: unknown[] }[] }> } }).axe.run({
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ page: name, serious }).toEqual({ page: name, serious: [] });
};

export const screenshot = (page: Page, name: string) => page.screenshot({ path: `${ARTEFACTS}/${name}.png`, fullPage: true });

/**
 * Presses Tab until the focused element matches the selector: the keyboard is the only input. Waits for the element
 * first: a page still loading its part of the console (a slow machine) would otherwise be tabbed through before it is there.
 */
export const tabTo = async (page: Page, selector: string, max = 40) => {
  await page.locator(selector).first().waitFor();
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
};

export { makeUser, PASSWORD };
