/**
 * Issue 19: certificates issued per second (load the person → decide → sign → revocation row → CertificateIssued)
 * and PDF pages rendered per second, each beside the bare costs measured in the same run: ES256 signing of the
 * same card, and QR encoding of the same `shc:/` content (a certificate cannot be faster than its signature plus
 * its QR). CPU from /proc for this process and PostgreSQL.
 *   node --import tsx bench/documents.ts [--quick]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/runtime/config.js';
import { openRuntime } from '../src/runtime/openRuntime.js';
import { changeRecipient, commandContext, loadRecipient, handleRegisterRecipient } from '../src/ledger/index.js';
import {
  couponSheetsPdf,
  documentServices,
  fhirBundleOf,
  issueShc,
  qrPng,
  shcQrSegments,
  signHealthCard,
  toShcNumeric,
  recordPdf,
} from '../src/documents/index.js';
import type { RegisteredRecipient } from '../src/domain/index.js';
import { createDatabase } from './lib/database.js';
import { cpuDuring, postmasterPid } from './lib/cpuTime.js';
import { withServer } from './lib/server.js';
import { runIfMain } from './lib/standalone.js';
import type { BenchOptions, BenchResult, BenchRow } from './lib/types.js';

const MUNICIPALITY = '131016';
const actor = { role: 'municipality', sub: 'bench', municipality: MUNICIPALITY };
const round = (x: number) => Math.round(x * 10) / 10;

export const run = async ({ quick, databaseUrl }: BenchOptions): Promise<BenchResult> =>
  withServer(databaseUrl, async (server) => {
    const url = await createDatabase(server, 'bench_documents');
    const dataDir = await mkdtemp(join(tmpdir(), 'vrs-bench-docs-'));
    const config = loadConfig({
      DATABASE_URL: url,
      VRS_DATA_DIR: dataDir,
      VRS_MASTER_KEY: randomBytes(32).toString('hex'),
      VRS_HMAC_KEY: randomBytes(32).toString('hex'),
      VRS_JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    });
    const runtime = await openRuntime(config);
    const rows: BenchRow[] = [];
    try {
      const ledger = { store: runtime.store, dataKeys: runtime.dataKeys, hmacKey: runtime.keys.hmac };
      const docs = await documentServices({ pool: runtime.pool, schema: runtime.schema, store: runtime.store, hmacKey: runtime.keys.hmac, config, services: runtime.services });
      const people = quick ? 40 : 300;
      const streams: string[] = [];
      for (let i = 1; i <= people; i++) {
        const coupon = String(i).padStart(10, '0');
        const c = commandContext(actor);
        const r = await handleRegisterRecipient(ledger, { municipality: MUNICIPALITY, coupon, addressNumber: `A${i}`, name: `接種 太郎${i}`, nameKana: 'セッシュ タロウ', birthDate: '1960-04-01', sex: 'M', address: '東京都千代田区千代田1-1', medicalWorker: false }, c);
        await changeRecipient(ledger, r.stream, { type: 'RecordVaccination', doseNumber: 1, date: '2021-06-01', vaccine: { maker: 'pfizer', lot: 'FA1234' }, siteCode: 'S001', source: 'manual' }, commandContext(actor));
        await changeRecipient(ledger, r.stream, { type: 'RecordVaccination', doseNumber: 2, date: '2021-06-22', vaccine: { maker: 'pfizer', lot: 'FA5678' }, siteCode: 'S001', source: 'manual' }, commandContext(actor));
        streams.push(r.stream);
      }
      const sample = (await loadRecipient(ledger, streams[0])).state as RegisteredRecipient;
      const bundle = fhirBundleOf(sample);
      const jws = await signHealthCard({ iss: docs.iss, nbf: 1_700_000_000, rid: 'x'.repeat(11), bundle, key: docs.keys.current });
      const shc = toShcNumeric(jws);
      const pg = await postmasterPid(runtime.pool);
      const measure = async (name: string, n: number, work: (i: number) => Promise<unknown>) => {
        for (let i = 0; i < Math.min(5, n); i++) await work(i); // warm-up (JIT, font parse)
        const start = performance.now();
        const { ms } = await cpuDuring({ pg }, async () => {
          for (let i = 0; i < n; i++) await work(i);
        });
        const seconds = (performance.now() - start) / 1000;
        return { name, perSecond: n / seconds, cpuMsEach: ms['load generator'] / n, pgMsEach: ms.pg / n };
      };
      const n = quick ? 40 : 300;
      const sign = await measure('bare ES256 signing of the card (deflate + JWS)', n, () => signHealthCard({ iss: docs.iss, nbf: 1_700_000_000, bundle, key: docs.keys.current }));
      const qr = await measure('bare QR encoding of the shc:/ content (PNG)', n, () => qrPng(shcQrSegments(shc)));
      const issue = await measure('certificates issued (load, decide, sign, CRL row, append)', n, (i) => issueShc(ledger, docs, streams[i % streams.length], commandContext(actor)));
      const pages = quick ? 10 : 60;
      const sheets = streams.slice(0, pages).map((s, i) => ({ state: { ...sample, coupon: String(i + 1).padStart(10, '0') }, line: `11${MUNICIPALITY}${String(i + 1).padStart(10, '0')}`, doseNumber: 3, eligibleFrom: '2021-09-22' }));
      const coupons = await measure(`coupon sheet pages (${pages} per PDF)`, 3, () => couponSheetsPdf(sheets));
      const record = await measure('予防接種済証 (one-page PDF)', quick ? 10 : 40, () => recordPdf(sample, '2026-12-03'));
      const per = (x: { perSecond: number }) => round(x.perSecond);
      rows.push(
        { name: sign.name, figure: per(sign), unit: 'cards/s' },
        { name: qr.name, figure: per(qr), unit: 'QR/s' },
        // The JSON answer carries no QR: its floor is the signature alone. The PDF adds one QR encoding per card.
        { name: issue.name, figure: per(issue), unit: 'certs/s', baseline: per(sign), baselineName: 'signing alone', ratio: Math.round((issue.perSecond / sign.perSecond) * 1000) / 1000 },
        { name: coupons.name, figure: round(coupons.perSecond * pages), unit: 'pages/s' },
        { name: record.name, figure: per(record), unit: 'pages/s' },
      );
      const notes = [
        `card ${jws.length} JWS characters, ${shc.length - 5} QR digits`,
        ...[sign, qr, issue, coupons, record].map((x) => `${x.name}: CPU ${round(x.cpuMsEach)} ms node + ${round(x.pgMsEach)} ms PostgreSQL each`),
      ];
      return { rows, notes };
    } finally {
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

runIfMain(import.meta.url, run);
