import { describe, it, expect } from '@jest/globals';
import { deriveEventId, uuidV5 } from '../../../src/eventstore/kurrentdb/eventId.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('KurrentDB event ids', () => {
  it('computes RFC 4122 version-5 UUIDs (published vector: DNS namespace, www.example.com)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives the same id for the same stream, command and index', () => {
    const a = deriveEventId('recipient-131016-0000000001', 'cmd-1', 0);
    expect(a).toMatch(UUID);
    expect(deriveEventId('recipient-131016-0000000001', 'cmd-1', 0)).toBe(a);
  });

  it('derives distinct ids per index, stream and command', () => {
    const ids = [
      deriveEventId('s-1', 'cmd', 0),
      deriveEventId('s-1', 'cmd', 1),
      deriveEventId('s-1', 'cmd', 10),
      deriveEventId('s-2', 'cmd', 0),
      deriveEventId('s-1', 'cmd2', 0),
      // No ambiguity from concatenation: ('s-1','1cmd') vs ('s-11','cmd').
      deriveEventId('s-11', 'cmd', 0),
      deriveEventId('s-1', '1cmd', 0),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID);
  });

  it('uses a fresh random id when there is no command id', () => {
    const a = deriveEventId('s-1', undefined, 0);
    const b = deriveEventId('s-1', undefined, 0);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
