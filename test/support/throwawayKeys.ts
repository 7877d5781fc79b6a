import { randomBytes } from 'node:crypto';

/** Fresh master, HMAC and JWT keys for a throwaway test or benchmark server (configuration variables). */
export const throwawayKeys = () => ({
  VRS_MASTER_KEY: randomBytes(32).toString('hex'),
  VRS_HMAC_KEY: randomBytes(32).toString('hex'),
  VRS_JWT_SECRET: randomBytes(32).toString('hex'),
});
