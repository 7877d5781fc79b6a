import { HASH_SIZE } from './merkleHash.js';
import { openNote, signNote, type NoteSigner, type NoteVerifier } from './signedNote.js';

/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, base64 root, one line each. One extension
 * line, `time <unix seconds>`, says when the log signed it (clients that do not know it ignore it).
 */
export type Checkpoint = { origin: string; size: bigint; root: Buffer; time?: number };

export const checkpointText = (c: Checkpoint): string =>
  `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n${c.time === undefined ? '' : `time ${c.time}\n`}`;

export const signCheckpoint = (c: Checkpoint, signer: NoteSigner): string => signNote(checkpointText(c), signer);

export const parseCheckpointText = (text: string): Checkpoint | string => {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return 'a checkpoint has at least three lines';
  const [origin, sizeText, rootText, ...rest] = lines.slice(0, -1);
  if (!origin) return 'the checkpoint has no origin';
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText)) return 'the checkpoint size is not a decimal number';
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootText) return 'the checkpoint root is not a base64 SHA-256 hash';
  const timeLine = rest.find((l) => l.startsWith('time '));
  const time = timeLine && /^time [0-9]{1,15}$/.test(timeLine) ? Number(timeLine.slice(5)) : undefined;
  return { origin, size: BigInt(sizeText), root, time };
};

export type OpenedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; why: string };

/** Verifies the signature, then reads the checkpoint; the origin must be the one expected. */
export const openCheckpoint = (note: string, key: NoteVerifier, origin?: string): OpenedCheckpoint => {
  const opened = openNote(note, key);
  if (!opened.ok) return opened;
  const c = parseCheckpointText(opened.text);
  if (typeof c === 'string') return { ok: false, why: c };
  if (origin !== undefined && c.origin !== origin) return { ok: false, why: `the checkpoint is of log ${JSON.stringify(c.origin)}, not ${JSON.stringify(origin)}` };
  return { ok: true, checkpoint: c };
};
