export type TwoGenerationCache<K, V> = {
  get: (key: K) => V | undefined;
  set: (key: K, value: V) => void;
  delete: (key: K) => void;
  readonly size: number;
  /** The estimated bytes held (what `bytesOf` says of each entry): never more than `maxBytes`. */
  readonly bytes: number;
};

export type CacheBounds<K, V> = {
  /** The most the entries may hold, by `bytesOf`. 0 caches nothing. */
  maxBytes: number;
  /** An estimate of what one entry costs in memory: key, value and the Map's slot (use the helpers below). */
  bytesOf: (key: K, value: V) => number;
};

/** A V8 Map slot (key, value, chain: 3 words) with its share of the hash buckets and of a half-empty table. */
export const MAP_ENTRY_BYTES = 48;

/** A heap string: 16 bytes of header, then one byte per character, or two when any character is past U+00FF. */
export const stringBytes = (s: string) => {
  // eslint-disable-next-line no-control-regex
  const width = /[^\u0000-\u00ff]/.test(s) ? 2 : 1;
  return (16 + s.length * width + 7) & ~7;
};

/**
 * A bounded cache that keeps what is used: new and recently read entries go to the young generation; when adding
 * an entry would take it past half the bound it becomes the old one and the previous old one is dropped whole, so
 * the two never hold more than `maxBytes` together (an entry bigger than half the bound is not cached). Every
 * operation is O(1). (An LRU on one Map evicts with `keys().next()`, which walks over the holes that deletes leave
 * at the front of V8's ordered hash table: microseconds per eviction at 100,000 entries, on every append and key
 * read.) Bounded by bytes, not entries: a count says nothing of what a process holds when entries differ in size.
 */
export const twoGenerationCache = <K, V>({ maxBytes, bytesOf }: CacheBounds<K, V>): TwoGenerationCache<K, V> => {
  const half = Math.max(0, Math.floor(maxBytes / 2));
  let young = new Map<K, V>();
  let old = new Map<K, V>();
  let youngBytes = 0;
  let oldBytes = 0;
  const put = (key: K, value: V) => {
    const size = bytesOf(key, value);
    if (size > half) return;
    const replaced = young.get(key);
    if (replaced !== undefined) youngBytes -= bytesOf(key, replaced);
    if (youngBytes + size > half) {
      if (replaced !== undefined) young.delete(key);
      old = young;
      oldBytes = youngBytes;
      young = new Map();
      youngBytes = 0;
    }
    young.set(key, value);
    youngBytes += size;
  };
  const dropOld = (key: K) => {
    const was = old.get(key);
    if (was === undefined) return;
    old.delete(key);
    oldBytes -= bytesOf(key, was);
  };
  return {
    get: (key) => {
      const hit = young.get(key);
      if (hit !== undefined) return hit;
      const aging = old.get(key);
      if (aging !== undefined) {
        // Moved, not copied: counted once.
        dropOld(key);
        put(key, aging);
      }
      return aging;
    },
    set: (key, value) => {
      dropOld(key);
      put(key, value);
    },
    delete: (key) => {
      const was = young.get(key);
      if (was !== undefined) {
        young.delete(key);
        youngBytes -= bytesOf(key, was);
      }
      dropOld(key);
    },
    get size() {
      return young.size + old.size;
    },
    get bytes() {
      return youngBytes + oldBytes;
    },
  };
};
