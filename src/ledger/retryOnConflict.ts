import { isStreamVersionConflict } from '../eventstore/errors.js';

/**
 * Runs a whole load → decide → append again when another writer moved a stream it read. For commands whose
 * second decision is the right answer (a registration or transfer that lost a race is then ALREADY_REGISTERED,
 * MY_NUMBER_ALREADY_ACTIVE, or the first result of the same commandId), not for changes to a person a clerk
 * made from what they saw: those stay a conflict (409) rather than overwrite a concurrent change.
 */
export const retryOnConflict = async <T>(handle: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle();
    } catch (e) {
      if (!isStreamVersionConflict(e) || attempt >= attempts) throw e;
    }
  }
};
