import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/** OWASP's argon2id floor (19 MiB, 2 passes, 1 lane): ~30 ms here, so a sign-in flood costs the attacker too. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

export const verifyPassword = async (hash: string, password: string) => {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
};

/** A hash of nothing anyone knows: an unknown username costs the same verify as a known one (no timing oracle). */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword(randomBytes(24).toString('base64url')));

/** 20 characters from an alphabet without look-alikes (about 114 bits): printed once, typed once. */
export const generatePassword = (): string => {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    if (b >= 228) continue; // 228 = 4 × 57: keeps the choice uniform
    out += alphabet[b % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : generatePassword();
};
