import type { StreamWrite } from '../contract.js';
import { InvalidEventError } from '../errors.js';

/** The same input rules as the Postgres adapter: one write per stream, at least one event, one commandId. */
export const validateWrites = (writes: StreamWrite[]): void => {
  if (writes.length === 0) throw new InvalidEventError('an append needs at least one stream');
  const seen = new Set<string>();
  for (const w of writes) {
    if (!w.stream) throw new InvalidEventError('stream name is empty');
    if (w.stream.startsWith('$')) throw new InvalidEventError('stream names starting with $ are reserved by KurrentDB', { stream: w.stream });
    if (seen.has(w.stream)) throw new InvalidEventError('a stream appears twice in one append', { stream: w.stream });
    seen.add(w.stream);
    if (w.events.length === 0) throw new InvalidEventError('an append needs at least one event', { stream: w.stream });
    const ids = new Set(w.events.map((e) => e.metadata?.commandId ?? null));
    if (ids.size > 1) throw new InvalidEventError('all events of one append share one commandId', { stream: w.stream });
  }
};

export const commandIdOf = (w: StreamWrite): string | undefined => w.events[0]?.metadata?.commandId;
