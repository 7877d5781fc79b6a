import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { TestApp } from '../../support/testApp.js';
import { person } from '../../support/people.js';

export const register = async (t: TestApp, n: number, municipality: string) => {
  const headers = await t.auth('municipality', { municipality, sub: `clerk-${municipality}` });
  const who = person(n, municipality);
  const r = await t.app.inject({ method: 'POST', url: '/v1/recipients', headers, payload: who });
  expect(r.statusCode).toBe(201);
  return who;
};

export const recordDose = async (t: TestApp, municipality: string, coupon: string, doseNumber: number, date: string, maker: string, lot: string) => {
  const headers = await t.auth('municipality', { municipality, sub: `clerk-${municipality}` });
  const r = await t.app.inject({
    method: 'POST',
    url: '/v1/vaccinations',
    headers,
    payload: { municipality, coupon, doseNumber, date, vaccine: { maker, lot }, siteCode: 'S001' },
  });
  expect(r.statusCode).toBe(201);
};

/** Debian poppler-utils renders the PDF page; zbarimg (zbar-tools) decodes every QR on it — neither is our code. */
export const qrCodesInPdf = (pdf: Buffer, dpi = 150): string[] => {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'doc.pdf'), join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('page')).sort();
    return pages.flatMap((p) => {
      const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', join(dir, p)], { encoding: 'utf8' });
      return out.split('\n').filter(Boolean);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const pdfText = (pdf: Buffer): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), join(dir, 'doc.txt')]);
    return readFileSync(join(dir, 'doc.txt'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const pdfFonts = (pdf: Buffer): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    return execFileSync('pdffonts', [join(dir, 'doc.pdf')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
