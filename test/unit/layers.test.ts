import { describe, expect, it, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const cruiser = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** Runs the repository's layer rule (.dependency-cruiser.cjs) over a throwaway tree of the given files. */
const cruise = async (files: Record<string, string>): Promise<{ ok: boolean; out: string }> => {
  const dir = await mkdtemp(join(tmpdir(), 'vrs-layers-'));
  dirs.push(dir);
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true }, include: ['src'] }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  try {
    const { stdout } = await run(process.execPath, [cruiser, 'src', '--config', join(repo, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd: dir });
    return { ok: true, out: stdout };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};

const module = (name: string) => `export const ${name} = 1;\n`;
const importer = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;

describe('the layer rule (npm test runs it before jest)', () => {
  it('passes the repository as it is', async () => {
    const { stdout } = await run(process.execPath, [cruiser, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: repo });
    expect(stdout).toMatch(/no dependency violations found/);
  });

  it('passes an import that goes inward', async () => {
    const r = await cruise({ 'src/domain/x.ts': module('x'), 'src/ledger/y.ts': importer('../domain/x.js') });
    expect(r).toMatchObject({ ok: true });
  });

  it('fails the build on an import that breaks each rule, naming the rule and the import', async () => {
    const broken: [rule: string, from: string, spec: string, target: string][] = [
      ['domain-is-pure', 'src/domain/bad.ts', '../ledger/x.js', 'src/ledger/x.ts'],
      ['domain-is-pure', 'src/domain/io.ts', 'node:fs', 'fs'],
      ['eventstore-knows-no-domain', 'src/eventstore/bad.ts', '../domain/x.js', 'src/domain/x.ts'],
      ['nothing-imports-the-top', 'src/projections/bad.ts', '../api/x.js', 'src/api/x.ts'],
      ['nothing-imports-the-top', 'src/export/bad.ts', '../cli/x.js', 'src/cli/x.ts'],
      ['postgres-adapter-is-private', 'src/import/bad.ts', '../eventstore/postgres/heads.js', 'src/eventstore/postgres/heads.ts'],
      ['kurrentdb-adapter-is-private', 'src/ledger/bad.ts', '../eventstore/kurrentdb/x.js', 'src/eventstore/kurrentdb/x.ts'],
      ['lower-layers-do-not-import-capabilities', 'src/projections/worse.ts', '../scans/x.js', 'src/scans/x.ts'],
      ['runtime-below-ledger', 'src/runtime/bad.ts', '../ledger/x.js', 'src/ledger/x.ts'],
    ];
    const files: Record<string, string> = {};
    for (const [, from, spec, target] of broken) {
      if (target.startsWith('src/')) files[target] = module('x');
      files[from] = spec.startsWith('node:') ? `import { readFileSync as x } from '${spec}';\nexport const y = x;\n` : importer(spec);
    }
    const r = await cruise(files);
    expect(r.ok).toBe(false);
    for (const [rule, from, , target] of broken) expect(r.out).toContain(`${rule}: ${from} → ${target}`);
  });
});
