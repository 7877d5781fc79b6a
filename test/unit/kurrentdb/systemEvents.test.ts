import { describe, it, expect } from '@jest/globals';
import { isSystemEvent } from '../../../src/eventstore/kurrentdb/systemEvents.js';
import { toRecordedEvent, type ClientEvent } from '../../../src/eventstore/kurrentdb/toRecordedEvent.js';
import { encodeMetadata } from '../../../src/eventstore/kurrentdb/storedMetadata.js';

const clientEvent = (over: Partial<ClientEvent>): ClientEvent => ({
  streamId: 'recipient-1',
  id: '00000000-0000-4000-8000-000000000000',
  revision: 0n,
  type: 'RecipientRegistered',
  data: { a: 1 },
  metadata: encodeMetadata({ metadata: { recordedAt: '2024-05-01T00:00:00.000Z' }, hash: 'ab'.repeat(32), writeId: 'w' }),
  created: new Date('2024-05-01T00:00:01.000Z'),
  position: { commit: 10n, prepare: 10n },
  ...over,
});

describe('KurrentDB system-event filtering', () => {
  it.each([
    ['$statistics-collected', 'recipient-1'],
    ['$>', 'recipient-1'],
    ['$metadata', '$$recipient-1'],
    ['SettingsUpdated', '$settings'],
    ['$ProjectionUpdated', '$projections-x'],
    ['RecipientRegistered', '$ce-recipient'],
  ])('drops type %p in stream %p', (type, streamId) => {
    expect(isSystemEvent({ type, streamId })).toBe(true);
    expect(toRecordedEvent(clientEvent({ type, streamId }))).toBeNull();
  });

  it.each([
    ['RecipientRegistered', 'recipient-1'],
    ['Dose$Recorded', 'recipient-$1'],
  ])('keeps type %p in stream %p', (type, streamId) => {
    expect(isSystemEvent({ type, streamId })).toBe(false);
    expect(toRecordedEvent(clientEvent({ type, streamId }))).not.toBeNull();
  });
});

describe('KurrentDB event conversion', () => {
  it('gives 1-based versions, the commit position, a <commit>:<prepare> checkpoint and the stored hash', () => {
    const e = toRecordedEvent(clientEvent({ revision: 4n, position: { commit: 900n, prepare: 880n } }))!;
    expect(e.version).toBe(5n);
    expect(e.position).toBe(900n);
    expect(e.checkpoint).toBe('900:880');
    expect(e.hash).toBe('ab'.repeat(32));
    expect(e.metadata).toEqual({ recordedAt: '2024-05-01T00:00:00.000Z' });
    expect(e.recordedAt.toISOString()).toBe('2024-05-01T00:00:00.000Z');
  });

  it('keeps an event another tool wrote, with an empty hash so verify reports it', () => {
    const e = toRecordedEvent(clientEvent({ metadata: { source: 'elsewhere' } }))!;
    expect(e.hash).toBe('');
    expect(e.metadata).toEqual({ source: 'elsewhere', recordedAt: '2024-05-01T00:00:01.000Z' });
  });
});
