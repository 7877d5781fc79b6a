import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { openNote, parseVerifierKey, signerFromSeed, signNote, verifierKeyText } from '../../../src/proofs/signedNote.js';
import { openCheckpoint, parseCheckpointText, signCheckpoint } from '../../../src/proofs/checkpoint.js';
import { judgeCheckpoint, type WitnessState } from '../../../src/proofs/witness.js';
import { EMPTY_ROOT } from '../../../src/proofs/merkleHash.js';

const v = JSON.parse(readFileSync(new URL('../../fixtures/merkle/signed-note-vectors.json', import.meta.url), 'utf8')) as Record<string, string>;
// The Go signer key: PRIVATE+KEY+<name>+<key ID>+base64(0x01 ‖ seed); its base64 holds a '+'.
const seed = Buffer.from(v.signerKey.split('+').slice(4).join('+'), 'base64').subarray(1);

describe('C2SP signed note, against golang.org/x/mod/sumdb/note', () => {
  const signer = signerFromSeed('PeterNeumann', seed);

  it('derives the published verifier key and signs the published note byte for byte (Ed25519 is deterministic)', () => {
    expect(verifierKeyText(signer)).toBe(v.verifierKey);
    expect(signNote(v.text, signer)).toBe(v.note);
  });

  it('opens the published note and refuses any change to it', () => {
    const key = parseVerifierKey(v.verifierKey);
    if (typeof key === 'string') throw new Error(key);
    expect(openNote(v.note, key)).toEqual({ ok: true, text: v.text });
    expect(openNote(v.note.replace('cryptography', 'cryptographY'), key).ok).toBe(false);
    expect(openNote(v.note.replace('x08go', 'x08gp'), key).ok).toBe(false);
    // Only an unknown key's signature: refused for want of a trusted one.
    expect(openNote(v.note.replace('PeterNeumann x', 'Someone x'), key)).toMatchObject({ ok: false, why: expect.stringMatching(/no signature of PeterNeumann/) });
  });

  it('reads a verifier key whose base64 contains a "+", and refuses a wrong key ID', () => {
    expect(parseVerifierKey(v.plusKey)).toMatchObject({ name: 'TEST' });
    expect(typeof parseVerifierKey(v.verifierKey.replace('c74f20a3', 'c74f20a4'))).toBe('string');
  });
});

describe('checkpoints and the witness decision', () => {
  const signer = signerFromSeed('example.org/log', Buffer.alloc(32, 7));
  const vkey = verifierKeyText(signer);
  const root = (b: number) => Buffer.alloc(32, b);
  const note = (size: bigint, r: Buffer) => signCheckpoint({ origin: 'example.org/log', size, root: r, time: 1_800_000_000 }, signer);
  const state = (n: string): WitnessState => ({ checkpointUrl: 'http://x', verifierKey: vkey, origin: 'example.org/log', checkpoint: n, savedAt: '' });

  it('writes origin, size and base64 root, one line each, and reads them back', () => {
    const n = note(5n, EMPTY_ROOT);
    expect(n.split('\n').slice(0, 4)).toEqual(['example.org/log', '5', EMPTY_ROOT.toString('base64'), 'time 1800000000']);
    const key = parseVerifierKey(vkey);
    if (typeof key === 'string') throw new Error(key);
    expect(openCheckpoint(n, key, 'example.org/log')).toMatchObject({ ok: true, checkpoint: { size: 5n } });
    expect(openCheckpoint(n, key, 'other.org/log').ok).toBe(false);
    expect(parseCheckpointText('o\n05\nAAAA\n')).toMatch(/decimal/);
  });

  it('refuses a rollback and a fork, asks for a proof to accept growth', () => {
    expect(judgeCheckpoint(state(note(5n, root(1))), vkey, note(4n, root(2)))).toMatchObject({ accept: false, reason: 'rollback' });
    expect(judgeCheckpoint(state(note(5n, root(1))), vkey, note(5n, root(2)))).toMatchObject({ accept: false, reason: 'fork' });
    expect(judgeCheckpoint(state(note(5n, root(1))), vkey, note(5n, root(1)))).toMatchObject({ accept: true });
    expect(judgeCheckpoint(state(note(5n, root(1))), vkey, note(6n, root(2)))).toMatchObject({ accept: null, needsProof: { from: 5n, to: 6n } });
    expect(judgeCheckpoint(state(note(5n, root(1))), vkey, note(6n, root(2)), [root(3)])).toMatchObject({ accept: false, reason: 'fork' });
    const other = signerFromSeed('example.org/log', Buffer.alloc(32, 8));
    expect(judgeCheckpoint(state(note(5n, root(1))), vkey, signCheckpoint({ origin: 'example.org/log', size: 6n, root: root(2) }, other))).toMatchObject({ accept: false, reason: 'signature' });
  });
});
