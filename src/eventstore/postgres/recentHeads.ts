import type { StreamWrite } from '../contract.js';
import type { Head } from './heads.js';

const KEPT = 10_000;

/**
 * The heads this process last wrote, per stream (the most recent KEPT streams): the next append to such a stream
 * from here (a hot stream's queue, a scan's review stream) goes without reading its head first. Only a hint:
 * another process's write since makes the INSERT collide, and the store reads the head then.
 */
export const createRecentHeads = () => {
  const heads = new Map<string, Head>();
  return {
    remember: (written: Map<string, Head>) => {
      for (const [stream, head] of written) {
        heads.delete(stream);
        if (heads.size >= KEPT) heads.delete(heads.keys().next().value!);
        heads.set(stream, head);
      }
    },
    /** Writes without a head of their caller's get the one remembered (new streams need none). */
    hint: (writes: StreamWrite[]): StreamWrite[] =>
      writes.map((w) => (w.head || w.expected === 'no_stream' || !heads.has(w.stream) ? w : { ...w, head: heads.get(w.stream) })),
  };
};
