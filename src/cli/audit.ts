import { readFile, rename, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { evidenceOf } from '../api/evidenceOf.js';
import { projectionsService } from '../projections/projectionsService.js';
import { verifyEvidence } from '../proofs/verifyEvidence.js';
import { judgeCheckpoint, type WitnessState } from '../proofs/witness.js';
import type { Command } from './commands.js';
import { MunicipalityOption, parseOptions, pathProblem, usageError } from './options.js';
import { openRuntime } from '../runtime/openRuntime.js';

const usage = `vrs audit evidence --municipality CODE --coupon NUMBER [--as-of TIME] --out FILE
       vrs audit verify FILE [--key VERIFIER_KEY]
       vrs audit witness --checkpoint-url URL --state FILE [--token TOKEN] [--key VERIFIER_KEY]`;

const EvidenceOptions = z.object({
  municipality: MunicipalityOption,
  coupon: z.string({ error: 'is required' }).regex(/^\d{10}$/, 'must be 10 digits'),
  'as-of': z.iso.datetime({ offset: true, error: 'must be an ISO time such as 2026-12-01T09:00:00+09:00' }).optional(),
  out: z.string({ error: 'is required' }).min(1),
});
const WitnessOptions = z.object({
  'checkpoint-url': z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of /v1/ledger/checkpoint' }),
  state: z.string({ error: 'is required' }).min(1),
  token: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
});

const evidence = async ({ config, values }: Parameters<Command['run']>[0]) => {
  const opts = parseOptions(EvidenceOptions, values, usage);
  if (!opts) return 2;
  const runtime = await openRuntime(config);
  try {
    // The log's projection runs here too (one process applies it at a time): the bundle does not depend on a server.
    await projectionsService(runtime).start({ lockRetryMs: 200, log: { info: () => {}, warn: () => {}, error: () => {} } as never });
    const bundle = await evidenceOf(
      runtime,
      opts.municipality,
      opts.coupon,
      opts['as-of'] ? new Date(opts['as-of']) : undefined,
      { role: 'auditor', sub: `cli:${userInfo().username}` },
      'vrs audit evidence',
      60_000,
    );
    // The file holds personal data (names, addresses): readable by its owner only.
    await writeFile(opts.out, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 }).catch((e: NodeJS.ErrnoException) => {
      throw new Error(`--out: cannot write ${opts.out}: ${pathProblem(e)}`);
    });
    console.error(`wrote ${opts.out}: ${bundle.events.length} event(s) of ${bundle.stream}, proven in the checkpoint at size ${bundle.log.checkpoint.split('\n')[1]}`);
    return 0;
  } finally {
    await runtime.close();
  }
};

const verify = async ({ values, positionals }: Parameters<Command['run']>[0]) => {
  const file = positionals[1];
  if (!file || positionals.length > 2) return usageError(['FILE: give one evidence file'], usage);
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    console.log(`FAILED: ${file}: ${(e as NodeJS.ErrnoException).code ? pathProblem(e as NodeJS.ErrnoException) : 'not JSON'}`);
    return 1;
  }
  const report = verifyEvidence(input, typeof values.key === 'string' ? values.key : undefined);
  for (const f of report.findings) console.log(`${f.ok ? 'ok' : 'FAILED'}: ${f.what}`);
  console.log(report.ok ? `VERIFIED: ${file}` : `NOT VERIFIED: ${file}`);
  return report.ok ? 0 : 1;
};

const refuse = (message: string) => {
  console.error(`\n!!! WITNESS REFUSES: ${message}\n!!! The saved checkpoint is kept; do not trust this log until this is explained.\n`);
  return 1;
};

const witness = async ({ values }: Parameters<Command['run']>[0]) => {
  const opts = parseOptions(WitnessOptions, values, usage);
  if (!opts) return 2;
  const token = opts.token ?? process.env.VRS_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const url = new URL(opts['checkpoint-url']);
  const log = url.searchParams.get('log') ?? 'events';
  const get = async (u: URL) => {
    const r = await fetch(u, { headers });
    const body = await r.text();
    if (!r.ok) throw new Error(`GET ${u.pathname}: HTTP ${r.status} ${body.slice(0, 300)}`);
    return body;
  };
  let saved: WitnessState | null = null;
  try {
    saved = JSON.parse(await readFile(opts.state, 'utf8')) as WitnessState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return refuse(`the state file ${opts.state} cannot be read: ${(e as Error).message}`);
  }
  let key = opts.key ?? saved?.verifierKey;
  if (!key) {
    key = (await get(new URL(`/v1/ledger/key?log=${encodeURIComponent(log)}`, url))).trim();
    console.error(`trusting the log's key on first use: ${key}\ncompare it with the key the operator published; pass --key to pin it.`);
  }
  const note = await get(url);
  let decision = judgeCheckpoint(saved, key, note);
  if (decision.accept === null) {
    const { from, to } = decision.needsProof;
    const proofUrl = new URL(`/v1/ledger/proofs/consistency?log=${encodeURIComponent(log)}&from=${from}&to=${to}`, url);
    const proof = z.object({ path: z.array(z.string()) }).parse(JSON.parse(await get(proofUrl)));
    decision = judgeCheckpoint(saved, key, note, proof.path.map((p) => Buffer.from(p, 'base64')));
  }
  if (decision.accept === false) return refuse(decision.message);
  if (decision.accept === null) return refuse('no consistency proof');
  const state: WitnessState = { checkpointUrl: url.toString(), verifierKey: key, origin: decision.checkpoint.origin, checkpoint: decision.note, savedAt: new Date().toISOString() };
  await writeFile(`${opts.state}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${opts.state}.tmp`, opts.state);
  console.log(`OK: ${decision.message}`);
  return 0;
};

/** `vrs audit evidence|verify|witness`: evidence bundles for disputes, checked offline, and a witness of the log. */
export const auditCommand: Command = {
  summary: 'evidence --municipality M --coupon C [--as-of T] --out FILE | verify FILE | witness --checkpoint-url URL --state FILE',
  options: {
    municipality: { type: 'string' },
    coupon: { type: 'string' },
    'as-of': { type: 'string' },
    out: { type: 'string' },
    key: { type: 'string' },
    'checkpoint-url': { type: 'string' },
    state: { type: 'string' },
    token: { type: 'string' },
  },
  run: async (args) => {
    const sub = args.positionals[0];
    if (sub === 'evidence') return evidence(args);
    if (sub === 'verify') return verify(args);
    if (sub === 'witness') return witness(args);
    return usageError([sub ? `unknown audit command: ${sub}` : 'audit needs a command: evidence, verify or witness'], usage);
  },
};
