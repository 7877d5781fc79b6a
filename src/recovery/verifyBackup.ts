import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { canonicalJson, chainHashOfJson, ZERO_HASH } from '../eventstore/hashChain.js';
import { BACKUP_TABLES, CHAINS_FILE, MANIFEST_FILE } from './backupTables.js';
import { parseCopyLine } from './copyText.js';
import { BackupRefusedError } from './errors.js';
import { hashFile } from './hashingCopy.js';
import { ManifestSchema, type Manifest } from './manifest.js';

export type VerifyProgress = { phase: 'files' | 'chains'; bytes: number; totalBytes: number };

const lines = (file: string) => createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });

const readManifest = async (dir: string): Promise<Manifest> => {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupRefusedError(MANIFEST_FILE, 'missing: the backup is incomplete (the manifest is written last)');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupRefusedError(MANIFEST_FILE, 'not valid JSON: damaged or cut off');
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new BackupRefusedError(MANIFEST_FILE, `not a VRS backup manifest (${parsed.error.issues[0]?.path.join('.') || 'format'})`);
  return parsed.data;
};

/** The manifest's tables are exactly the known ones, with the known columns: nothing from the file reaches SQL. */
const checkTables = (m: Manifest) => {
  for (const t of BACKUP_TABLES) {
    const listed = m.tables.find((x) => x.name === t.name);
    if (!listed) {
      if (t.optional) continue;
      throw new BackupRefusedError(t.file, `table ${t.name} is not in the backup`);
    }
    if (listed.file !== t.file || listed.columns.join(',') !== t.columns.join(',')) {
      throw new BackupRefusedError(MANIFEST_FILE, `table ${t.name} is listed with other columns or file than this version writes`);
    }
  }
  for (const listed of m.tables) {
    if (!BACKUP_TABLES.some((t) => t.name === listed.name)) throw new BackupRefusedError(MANIFEST_FILE, `unknown table ${listed.name}`);
    const f = m.files.find((x) => x.path === listed.file);
    if (!f) throw new BackupRefusedError(listed.file, 'not listed among the files');
    if (f.rows !== listed.rows) throw new BackupRefusedError(listed.file, 'row count differs from the table entry');
  }
  if (!m.files.some((f) => f.path === CHAINS_FILE)) throw new BackupRefusedError(CHAINS_FILE, 'not listed among the files');
};

/** Every file is there, of its size and SHA-256. */
const checkFiles = async (dir: string, m: Manifest, onProgress: (p: VerifyProgress) => void) => {
  const totalBytes = m.files.reduce((s, f) => s + f.bytes, 0);
  let bytes = 0;
  for (const f of m.files) {
    const s = await stat(join(dir, f.path)).catch(() => null);
    if (!s?.isFile()) throw new BackupRefusedError(f.path, 'missing');
    if (s.size !== f.bytes) throw new BackupRefusedError(f.path, `${s.size} bytes where the manifest says ${f.bytes}: ${s.size < f.bytes ? 'truncated' : 'grown'}`);
    const h = await hashFile(join(dir, f.path), (n) => {
      bytes += n;
      onProgress({ phase: 'files', bytes, totalBytes });
    });
    if (h.sha256 !== f.sha256) throw new BackupRefusedError(f.path, 'SHA-256 differs from the manifest: the file was changed');
  }
};

/**
 * Recomputes every stream's hash chain from the backed-up events (as `vrs verify` does on a database) and
 * compares each stream's head with the chain heads recorded at backup time.
 */
const checkChains = async (dir: string, m: Manifest, onProgress: (p: VerifyProgress) => void) => {
  const events = BACKUP_TABLES[0];
  const ix = Object.fromEntries(events.columns.map((c, i) => [c, i]));
  const heads = new Map<string, { version: bigint; hash: string; position: bigint }>();
  const totalBytes = m.files.find((f) => f.path === events.file)!.bytes;
  let bytes = 0;
  let count = 0;
  let lastPosition = 0n;
  for await (const line of lines(join(dir, events.file))) {
    count++;
    bytes += Buffer.byteLength(line) + 1;
    if (count % 10_000 === 0) onProgress({ phase: 'chains', bytes, totalBytes });
    const where = `event line ${count}`;
    let f: (string | null)[];
    try {
      f = parseCopyLine(line);
    } catch (e) {
      throw new BackupRefusedError(events.file, `${where}: ${(e as Error).message}`);
    }
    if (f.length !== events.columns.length) throw new BackupRefusedError(events.file, `${where}: ${f.length} fields, expected ${events.columns.length}`);
    const position = BigInt(f[ix.position]!);
    if (position <= lastPosition) throw new BackupRefusedError(events.file, `${where}: positions out of order`);
    lastPosition = position;
    const stream = f[ix.stream]!;
    const version = BigInt(f[ix.version]!);
    const prev = heads.get(stream) ?? { version: 0n, hash: ZERO_HASH, position: 0n };
    if (version !== prev.version + 1n) throw new BackupRefusedError(events.file, `${where}: stream ${stream} jumps from version ${prev.version} to ${version}`);
    let dataJson: string;
    let metadataJson: string;
    try {
      dataJson = canonicalJson(JSON.parse(f[ix.data]!));
      metadataJson = canonicalJson(JSON.parse(f[ix.metadata]!));
    } catch {
      throw new BackupRefusedError(events.file, `${where}: data or metadata is not JSON`);
    }
    const expected = chainHashOfJson(prev.hash, { stream, version, type: f[ix.type]!, dataJson, metadataJson });
    const stored = (f[ix.hash] ?? '').replace(/^\\x/, '');
    if (stored !== expected) throw new BackupRefusedError(events.file, `${where}: stream ${stream} version ${version} breaks its hash chain`);
    heads.set(stream, { version, hash: expected, position });
  }
  if (count !== m.chains.events) throw new BackupRefusedError(events.file, `${count} events where the manifest says ${m.chains.events}`);
  if (lastPosition.toString() !== m.chains.lastPosition && count > 0) throw new BackupRefusedError(events.file, `last position ${lastPosition}, manifest says ${m.chains.lastPosition}`);
  let n = 0;
  for await (const line of lines(join(dir, CHAINS_FILE))) {
    n++;
    const [stream, version, position, hash] = parseCopyLine(line);
    const h = stream === null ? undefined : heads.get(stream);
    if (!h || h.version.toString() !== version || h.position.toString() !== position || h.hash !== hash) {
      throw new BackupRefusedError(CHAINS_FILE, `line ${n}: stream ${stream ?? '?'} ends elsewhere in the events than recorded at backup time`);
    }
  }
  if (n !== heads.size) throw new BackupRefusedError(CHAINS_FILE, `${n} chain heads recorded, the events have ${heads.size} streams`);
  if (n !== m.chains.streams) throw new BackupRefusedError(CHAINS_FILE, `${n} chain heads where the manifest says ${m.chains.streams}`);
  return { streams: heads.size, events: count };
};

/** Everything restore checks before it writes anything. Throws BackupRefusedError naming the file and why. */
export const verifyBackup = async (dir: string, onProgress: (p: VerifyProgress) => void = () => {}) => {
  const manifest = await readManifest(dir);
  checkTables(manifest);
  await checkFiles(dir, manifest, onProgress);
  const chains = await checkChains(dir, manifest, onProgress);
  return { manifest, ...chains };
};
