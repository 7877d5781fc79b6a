import { describe, it, expect } from '@jest/globals';
import { decodeMetadata, encodeMetadata } from '../../../src/eventstore/kurrentdb/storedMetadata.js';

describe('KurrentDB stored metadata', () => {
  it('round-trips the caller metadata, hash and write id through JSON', () => {
    const m = { metadata: { commandId: 'c', actor: { role: 'site', sub: 'u1', site: '1310160001' }, recordedAt: '2024-01-01T00:00:00.000Z' }, hash: 'f'.repeat(64), writeId: 'w' };
    expect(decodeMetadata(JSON.parse(JSON.stringify(encodeMetadata(m))))).toEqual(m);
  });

  it('ignores extra keys the server adds', () => {
    const raw = { ...encodeMetadata({ metadata: { recordedAt: 'x' }, hash: 'h', writeId: 'w' }), '$schema.name': 'A' };
    expect(decodeMetadata(raw)?.hash).toBe('h');
  });

  it.each([undefined, null, 'text', new Uint8Array([1]), {}, { 'vrs-metadata': '{', 'vrs-hash': 'h' }, { 'vrs-metadata': '{}', 'vrs-hash': 'h' }])(
    'reads %p as not ours',
    (raw) => expect(decodeMetadata(raw)).toBeNull(),
  );
});
