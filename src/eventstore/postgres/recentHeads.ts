import { twoGenerationCache } from '../../cache/twoGenerationCache.js';
import type { StreamWrite } from '../contract.js';
import type { Head } from './heads.js';

const KEPT = 10_000;

/**
 * The heads this process last wrote, per stream (the most recent KEPT streams): the next append to such a stream
 * from here (a hot stream's queue, a scan's review stream) goes without reading its head first. Only a hint:
 * another process's write since makes the INSERT collide, and the store reads the head then.
 */
export const createRecentHeads = () => {
  const heads = twoGenerationCache<string, Head>(KEPT);
  return {
    remember: (written: Map<string, Head>) => {
      for (const [stream, head] of written) heads.set(stream, head);
    },
    /** Writes without a head of their caller's get the one remembered (new streams need none). */
    hint: (writes: StreamWrite[]): StreamWrite[] =>
      writes.map((w) => {
        const head = w.head || w.expected === 'no_stream' ? undefined : heads.get(w.stream);
        return head ? { ...w, head } : w;
      }),
  };
};
