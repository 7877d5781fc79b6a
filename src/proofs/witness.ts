import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { parseVerifierKey } from './signedNote.js';
import { verifyConsistency } from './verifyProofs.js';

/**
 * A witness's decision, with no I/O: given the checkpoint it saved last (if any), the one just fetched, and the
 * consistency proof between them, accept (and save the new one) or refuse a fork or a rollback.
 */
export type WitnessState = { checkpointUrl: string; verifierKey: string; origin: string; checkpoint: string; savedAt: string };

export type WitnessDecision =
  | { accept: true; checkpoint: Checkpoint; note: string; message: string; needsProof?: undefined }
  | { accept: false; reason: 'signature' | 'fork' | 'rollback'; message: string; needsProof?: undefined }
  | { accept: null; needsProof: { from: bigint; to: bigint } };

export const judgeCheckpoint = (saved: WitnessState | null, verifierKey: string, note: string, proof?: Uint8Array[]): WitnessDecision => {
  const key = parseVerifierKey(verifierKey);
  if (typeof key === 'string') return { accept: false, reason: 'signature', message: `the log's key: ${key}` };
  const fresh = openCheckpoint(note, key, saved?.origin);
  if (!fresh.ok) return { accept: false, reason: 'signature', message: `the fetched checkpoint: ${fresh.why}` };
  const now = fresh.checkpoint;
  if (!saved) return { accept: true, checkpoint: now, note, message: `first checkpoint seen: size ${now.size}, root ${now.root.toString('base64')}` };
  const old = openCheckpoint(saved.checkpoint, key, saved.origin);
  if (!old.ok) return { accept: false, reason: 'signature', message: `the saved checkpoint no longer verifies under the log's key: ${old.why}` };
  const before = old.checkpoint;
  if (now.size < before.size) {
    return { accept: false, reason: 'rollback', message: `ROLLBACK: the log now says size ${now.size}, but it signed size ${before.size} before: entries were removed` };
  }
  if (now.size === before.size) {
    return now.root.equals(before.root)
      ? { accept: true, checkpoint: now, note, message: `unchanged: size ${now.size}` }
      : { accept: false, reason: 'fork', message: `FORK: two different roots signed for size ${now.size}: ${before.root.toString('base64')} and ${now.root.toString('base64')}` };
  }
  if (!proof) return { accept: null, needsProof: { from: before.size, to: now.size } };
  const check = verifyConsistency(before.size, now.size, proof, before.root, now.root);
  if (!check.ok) {
    return { accept: false, reason: 'fork', message: `FORK: the log at size ${now.size} is not an extension of what it signed at size ${before.size}: ${check.why}` };
  }
  return { accept: true, checkpoint: now, note, message: `consistent: size ${before.size} → ${now.size}` };
};
