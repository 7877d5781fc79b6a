import { MAP_ENTRY_BYTES, stringBytes, twoGenerationCache } from '../../cache/twoGenerationCache.js';
import type { StreamWrite } from '../contract.js';
import type { Head } from './heads.js';

/** The default bound (VRS_CACHE_STREAM_HEADS_BYTES): about 10,000 streams of recipients. */
export const DEFAULT_HEAD_CACHE_BYTES = 2 * 1024 * 1024;

/** A head: its object (24 + 2 fields), the version's BigInt (24) and the hash as 64 hex characters (80). */
const HEAD_BYTES = 40 + 24 + 80;

/**
 * The heads this process last wrote, per stream (the most recent, up to `maxBytes`): the next append to such a
 * stream from here (a hot stream's queue, a scan's review stream) goes without reading its head first. Only a hint:
 * another process's write since makes the INSERT collide, and the store reads the head then.
 */
export const createRecentHeads = (maxBytes = DEFAULT_HEAD_CACHE_BYTES) => {
  const heads = twoGenerationCache<string, Head>({ maxBytes, bytesOf: (stream) => MAP_ENTRY_BYTES + stringBytes(stream) + HEAD_BYTES });
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
    /** What the cache holds (tests). */
    held: () => ({ entries: heads.size, bytes: heads.bytes }),
  };
};
