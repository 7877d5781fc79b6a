import { open, seal } from './aesGcm.js';

/**
 * Events keep personal fields under `personal`; in the store that object is replaced by `personalSealed`
 * (AES-256-GCM under the stream's data key, bound to the stream: a sealed block moved to another stream does not
 * open; one moved within its stream opens, but the move breaks the stream's hash chain, which `vrs verify` finds).
 */
export const sealPersonal = (key: Buffer, stream: string, data: Record<string, unknown>): Record<string, unknown> => {
  if (!('personal' in data) || data.personal === undefined) return data;
  const { personal, ...rest } = data;
  return { ...rest, personalSealed: seal(key, Buffer.from(JSON.stringify(personal)), `personal:${stream}`) };
};

/** `personal: null` when the key is gone (erased) — callers treat that as unreadable, never as an error. */
export const openPersonal = (key: Buffer | null, stream: string, data: Record<string, unknown>): Record<string, unknown> => {
  if (typeof data.personalSealed !== 'string') return data;
  const { personalSealed, ...rest } = data;
  if (!key) return { ...rest, personal: null };
  return { ...rest, personal: JSON.parse(open(key, personalSealed, `personal:${stream}`).toString('utf8')) };
};
