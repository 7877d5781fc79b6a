import { createHash, randomUUID } from 'node:crypto';

/** Fixed namespace for this system's event ids (a random UUID chosen once; never change it). */
export const VRS_EVENT_NAMESPACE = '6f1c2b7e-3d84-4a52-9b0e-51c7d2a9e4f3';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export const uuidV5 = (namespace: string, name: string): string => {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The id of the index-th event of a command's write to a stream. A retried command sends the same ids, so the
 * server recognises the events it already has. Without a command id there is nothing to recognise: random ids.
 */
export const deriveEventId = (stream: string, commandId: string | undefined, index: number): string =>
  commandId === undefined ? randomUUID() : uuidV5(VRS_EVENT_NAMESPACE, `${stream}\u0000${commandId}\u0000${index}`);
