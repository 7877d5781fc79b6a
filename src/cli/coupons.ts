import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { recordAccess } from '../personal/accessLog.js';
import { batchItems, batchView, couponSheetsPdf, CouponCriteria, createBatch, documentServices, dueCsv, dueRows, runBatch } from '../documents/index.js';
import type { Command } from './commands.js';
import { cliActor } from './import.js';
import { MunicipalityOption, parseOptions } from './options.js';
import { openRuntime } from '../runtime/openRuntime.js';

const usage = 'vrs coupons --municipality CODE --dose N [--eligible-by YYYY-MM-DD] [--min-age A] [--max-age B] [--coupon NUMBER]... --out SHEETS.pdf [--csv DUE.csv]';

const int = (name: string) => z.string().regex(/^\d{1,3}$/, `${name}: must be a whole number`).transform(Number).optional();
const CouponsOptions = z.object({
  municipality: MunicipalityOption,
  dose: z.string({ error: 'is required' }).regex(/^[1-7]$/, 'must be 1–7').transform(Number),
  'eligible-by': z.string().optional(),
  'min-age': int('--min-age'),
  'max-age': int('--max-age'),
  coupon: z.array(z.string()).optional(),
  out: z.string({ error: 'is required' }).min(1),
  csv: z.string().min(1).optional(),
});

/**
 * `vrs coupons …`: the same batch as POST /v1/coupons/batches, run in the foreground: each coupon issued is a
 * CouponIssued event, the sheets go to --out (PDF) and the due list to --csv. Exit 0 done, 1 failed, 2 usage.
 */
export const couponsCommand: Command = {
  summary: 'issue a coupon batch and print its sheets: --municipality CODE --dose N [--eligible-by D] [--min-age A] [--max-age B] [--coupon N]... --out PDF [--csv FILE]',
  options: {
    municipality: { type: 'string' },
    dose: { type: 'string' },
    'eligible-by': { type: 'string' },
    'min-age': { type: 'string' },
    'max-age': { type: 'string' },
    coupon: { type: 'string', multiple: true },
    out: { type: 'string' },
    csv: { type: 'string' },
  },
  run: async ({ config, values }) => {
    const opts = parseOptions(CouponsOptions, values, usage);
    if (!opts) return 2;
    const parsed = CouponCriteria.safeParse({
      doseNumber: opts.dose,
      ...(opts['eligible-by'] ? { eligibleBy: opts['eligible-by'] } : {}),
      ...(opts['min-age'] !== undefined ? { minAge: opts['min-age'] } : {}),
      ...(opts['max-age'] !== undefined ? { maxAge: opts['max-age'] } : {}),
      ...(opts.coupon ? { coupons: opts.coupon } : {}),
    });
    if (!parsed.success) {
      console.error(`${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}\nusage: ${usage}`);
      return 2;
    }
    const runtime = await openRuntime(config);
    try {
      await documentServices({ pool: runtime.pool, schema: runtime.schema, store: runtime.store, hmacKey: runtime.keys.hmac, config, services: runtime.services });
      const ledger = { store: runtime.store, dataKeys: runtime.dataKeys, hmacKey: runtime.keys.hmac };
      const actor = cliActor(opts.municipality);
      const batchId = await createBatch(runtime.pool, opts.municipality, parsed.data, actor);
      await runBatch({ pool: runtime.pool, ledger }, batchId, actor);
      const view = (await batchView(runtime.pool, batchId))!;
      const items = await batchItems(runtime.pool, batchId);
      const rows = await dueRows(ledger, items);
      await recordAccess(runtime.pool, actor, items.map((i) => i.stream), 'vrs coupons');
      const sheets = rows.flatMap(({ row, state }) => (state?.person ? [{ state, line: row.line, doseNumber: row.doseNumber, eligibleFrom: row.eligibleFrom }] : []));
      await writeFile(opts.out, await couponSheetsPdf(sheets));
      if (opts.csv) await writeFile(opts.csv, dueCsv(rows.map((r) => r.row)));
      console.log(JSON.stringify({ batchId, status: view.status, scanned: view.scanned, issued: view.issued, out: opts.out, csv: opts.csv ?? null }));
      return view.status === 'done' ? 0 : 1;
    } finally {
      await runtime.close();
    }
  },
};
