import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * Fresh IVs from the CSPRNG, drawn many at a time: each call to it costs several µs, and an import seals two
 * things per row (its personal fields, its wrapped data key). Every 12 bytes are handed out once, then the pool
 * is refilled: an IV is never reused, exactly as with one randomBytes(12) per seal.
 */
const IV_BYTES = 12;
const ivPool = Buffer.alloc(IV_BYTES * 256);
let ivNext = ivPool.length;
const freshIv = (): Buffer => {
  if (ivNext === ivPool.length) {
    randomFillSync(ivPool);
    ivNext = 0;
  }
  // A view, not a copy: seal reads it synchronously (the cipher and the output copy it) before any refill.
  const iv = ivPool.subarray(ivNext, ivNext + IV_BYTES);
  ivNext += IV_BYTES;
  return iv;
};

/** AES-256-GCM: 12-byte IV ‖ 16-byte tag ‖ ciphertext, base64. `aad` binds a ciphertext to its record. */
export const seal = (key: Buffer, plain: Buffer, aad: string): string => {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = cipher.update(plain);
  const last = cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag(), body, last]).toString('base64');
};

export const open = (key: Buffer, sealed: string, aad: string): Buffer => {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
};
