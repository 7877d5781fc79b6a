import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { CalendarDateSchema, Maker } from '../domain/index.js';
import { ledgerOf } from '../api/ledgerOf.js';
import { ingestScan, scanServices, type ScanDeps, type ScanResult } from '../scans/index.js';
import { openRuntime } from '../runtime/openRuntime.js';
import type { Command } from './commands.js';

const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.heic', '.heif']);

const Options = z.object({
  site: z.string().min(1).max(32),
  date: CalendarDateSchema,
  maker: Maker,
  lot: z.string().min(1).max(40).optional(),
});
type Options = z.infer<typeof Options>;

export type FileOutcome = { file: string } & ({ status: 'recorded' | 'needs-review'; result: ScanResult } | { status: 'failed'; code: string; message: string });
export type BatchSummary = { recorded: number; review: number; failed: number; files: FileOutcome[] };

/** Scans every image in a folder as one site, a few at a time (as many as OCR workers), in name order. */
export const scanDirectory = async (deps: ScanDeps, dir: string, o: Options, onFile: (done: number, total: number, f: FileOutcome) => void = () => {}): Promise<BatchSummary> => {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && imageExtensions.has(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  const files: FileOutcome[] = new Array(names.length);
  const actor = { role: 'site', site: o.site, sub: `cli:${o.site}` };
  const parallel = (await deps.ocr()).size;
  let next = 0;
  let done = 0;
  const one = async (file: string): Promise<FileOutcome> => {
    try {
      const coupon = await readFile(join(dir, file));
      const { created: _created, ...result } = await ingestScan(deps, { coupon, date: o.date, maker: o.maker, lot: o.lot, siteCode: o.site }, actor);
      return { file, status: result.status, result };
    } catch (e) {
      const err = e as Error & { code?: string };
      return { file, status: 'failed', code: err.code ?? 'ERROR', message: err.message };
    }
  };
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < names.length) {
        const i = next++;
        files[i] = await one(names[i]);
        onFile(++done, names.length, files[i]);
      }
    }),
  );
  const count = (s: FileOutcome['status']) => files.filter((f) => f.status === s).length;
  return { recorded: count('recorded'), review: count('needs-review'), failed: count('failed'), files };
};

const describe = (f: FileOutcome) =>
  f.status === 'failed' ? `${f.file}: failed ${f.code}: ${f.message}` : `${f.file}: ${f.status}${f.status === 'needs-review' ? ` (${f.result.reasons?.join(', ')})` : ''} scan ${f.result.scanId}`;

export const scanCommand: Command = {
  summary: 'scan a folder of coupon photos as a site: DIR --site CODE --date YYYY-MM-DD --maker M [--lot L] [--json]',
  options: { site: { type: 'string' }, date: { type: 'string' }, maker: { type: 'string' }, lot: { type: 'string' }, json: { type: 'boolean' } },
  run: async ({ config, values, positionals }) => {
    const parsed = Options.safeParse(values);
    const dir = positionals[0];
    if (!parsed.success || !dir || positionals.length !== 1) {
      const problems = parsed.success ? [] : parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
      console.error([...problems, ...(dir ? [] : ['DIR: the folder of images is required'])].join('\n') || 'usage: vrs scan DIR --site CODE --date D --maker M [--lot L]');
      return 2;
    }
    const runtime = await openRuntime(config);
    try {
      const deps = await scanServices({ ledger: ledgerOf(runtime), db: runtime.pool, schema: runtime.schema, config, services: runtime.services });
      const tty = process.stderr.isTTY && !values.json;
      const bar = tty ? new cliProgress.SingleBar({ format: 'scanning [{bar}] {value}/{total} {file}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
      let started = false;
      const summary = await scanDirectory(deps, dir, parsed.data, (done, total, f) => {
        if (bar && !started) (bar.start(total, 0, { file: '' }), (started = true));
        if (bar) bar.update(done, { file: f.file });
        else if (!values.json) console.error(describe(f));
      });
      bar?.stop();
      if (values.json) for (const f of summary.files) console.log(JSON.stringify(f));
      else if (tty) for (const f of summary.files.filter((x) => x.status !== 'recorded')) console.error(describe(f));
      console.log(`recorded ${summary.recorded}, review ${summary.review}, failed ${summary.failed} (${summary.files.length} images)`);
      return summary.failed > 0 ? 1 : 0;
    } finally {
      await runtime.close();
    }
  },
};
