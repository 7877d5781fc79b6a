import { canonicalJson, chainHash, ZERO_HASH } from '../eventstore/hashChain.js';
import { openCheckpoint } from './checkpoint.js';
import { eventLeafData } from './eventLeaf.js';
import { EvidenceBundle } from './evidenceBundle.js';
import { leafHash } from './merkleHash.js';
import { parseVerifierKey } from './signedNote.js';
import { verifyInclusion } from './verifyProofs.js';

export type EvidenceFinding = { ok: boolean; what: string };
export type EvidenceReport = { ok: boolean; findings: EvidenceFinding[] };

/**
 * Checks a bundle with nothing but the bundle: the checkpoint's signature under the key given (or one the auditor
 * trusts), every event's chain hash from its stored content, every event's inclusion in the checkpoint's tree,
 * and that what the auditor reads of each event is what was stored (apart from the sealed personal fields,
 * which the chain covers sealed). Each failure names the event and the hash.
 */
export const verifyEvidence = (input: unknown, trustedKey?: string): EvidenceReport => {
  const findings: EvidenceFinding[] = [];
  const fail = (what: string) => findings.push({ ok: false, what });
  const pass = (what: string) => findings.push({ ok: true, what });
  const parsed = EvidenceBundle.safeParse(input);
  if (!parsed.success) {
    fail(`not an evidence bundle: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
    return { ok: false, findings };
  }
  const b = parsed.data;
  const keyText = trustedKey ?? b.log.verifierKey;
  if (trustedKey && trustedKey.trim() !== b.log.verifierKey.trim()) fail('the bundle names another key than the one trusted; checking against the trusted key');
  const key = parseVerifierKey(keyText);
  if (typeof key === 'string') {
    fail(`verifier key: ${key}`);
    return { ok: false, findings };
  }
  const opened = openCheckpoint(b.log.checkpoint, key, b.log.origin);
  if (!opened.ok) {
    fail(`checkpoint: ${opened.why}`);
    return { ok: false, findings };
  }
  const cp = opened.checkpoint;
  pass(`checkpoint of ${cp.origin} at size ${cp.size}, root ${cp.root.toString('base64')}, signed by ${key.name} (key ID ${key.keyId.toString('hex')})`);

  let previous = ZERO_HASH;
  b.events.forEach((e, i) => {
    const name = `event ${e.stream} version ${e.version} (position ${e.position}, ${e.type})`;
    if (e.stream !== b.stream) fail(`${name}: belongs to another stream than ${b.stream}`);
    if (BigInt(e.version) !== BigInt(i + 1)) fail(`${name}: expected version ${i + 1} here: an event is missing or out of order`);
    const expected = chainHash(previous, { stream: e.stream, version: BigInt(e.version), type: e.type, data: e.stored.data, metadata: e.stored.metadata });
    if (expected !== e.hash) fail(`${name}: its content and the previous hash give chain hash ${expected}, the bundle says ${e.hash}`);
    previous = e.hash;
    const leaf = leafHash(eventLeafData({ stream: e.stream, version: BigInt(e.version), position: BigInt(e.position), hash: e.hash }));
    const inclusion = verifyInclusion(
      BigInt(e.leafIndex),
      cp.size,
      leaf,
      e.inclusionPath.map((p) => Buffer.from(p, 'base64')),
      cp.root,
    );
    if (!inclusion.ok) fail(`${name}: leaf ${e.leafIndex} (hash ${leaf.toString('base64')}) is not in the signed tree: ${inclusion.why}`);
    // In the store the personal fields are one sealed block (`personalSealed`); the auditor reads them opened.
    const { personalSealed: _sealed, ...storedClear } = e.stored.data;
    const { personal: _opened, ...viewClear } = e.view.data;
    if (canonicalJson(storedClear) !== canonicalJson(viewClear)) fail(`${name}: the readable data differs from the stored data outside the personal fields`);
    if (canonicalJson(e.view.actor ?? null) !== canonicalJson(e.stored.metadata.actor ?? null)) fail(`${name}: the readable actor differs from the stored one`);
    if (e.recordedAt !== e.stored.metadata.recordedAt) fail(`${name}: recordedAt differs from the stored metadata`);
  });
  if (findings.every((f) => f.ok)) pass(`${b.events.length} event(s) of ${b.stream}: every chain hash recomputed and every leaf proven in the checkpoint's tree`);
  return { ok: findings.every((f) => f.ok), findings };
};
