import { DomainError } from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { IssueCertificate } from '../commands.js';
import type { RecipientEvent } from '../events.js';
import { validDoses, type RecipientState } from '../state.js';
import { requireActive } from './common.js';

/**
 * A certificate states the valid doses of a person the issuing municipality holds now: an erased person has
 * no name to put on it, a moved one is the new municipality's to certify, and no dose means nothing to certify.
 */
export const issueCertificate = (command: IssueCertificate, state: RecipientState): Result<RecipientEvent[]> => {
  const active = requireActive(state);
  if (!active.ok) return active;
  if (!active.value.person) return err(new DomainError('PERSONAL_DATA_ERASED', 'recipient: personal data was erased'));
  const doses = validDoses(active.value);
  if (doses.length === 0) return err(new DomainError('NO_VALID_DOSES', 'recipient: no valid dose is recorded to certify'));
  if (command.kind !== 'record' && !command.keyId)
    return err(new DomainError('NO_CHANGES', 'keyId: a signed certificate names its key', { field: 'keyId' }));
  return ok([
    {
      type: 'CertificateIssued',
      data: { kind: command.kind, keyId: command.keyId, doseNumbers: doses.map((d) => d.doseNumber), issuedAt: command.issuedAt },
    },
  ]);
};
