import { createHash, randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/eventstore/contract.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A VaccinationRecorded-like event of about 480 bytes (data + metadata as JSON), deterministic in `i` apart from
 * its command id, so every store and the raw baseline write the same shape.
 */
export const vaccinationEvent = (i: number, withCommandId = true): NewEvent => ({
  type: 'VaccinationRecorded',
  data: {
    recipientId: `rcp_${pad(i, 12)}`,
    municipalityCode: '131016',
    couponNumber: `131016${pad(i % 10_000_000_000, 10)}`,
    vaccine: { code: 'COVID19-XBB15', manufacturer: 'Pfizer' },
    doseNumber: (i % 7) + 1,
    lotNumber: `HK${pad(i % 10_000, 4)}`,
    administeredOn: '2024-10-01',
    site: { code: `13${pad(i % 100_000_000, 8)}`, kind: 'clinic' },
    doctor: `dr_${pad(i % 1000, 4)}`,
  },
  metadata: {
    ...(withCommandId ? { commandId: randomUUID() } : {}),
    correlationId: randomUUID(),
    actor: { role: 'clinic', sub: `staff-${pad(i % 500, 4)}`, municipality: '131016', site: `13${pad(i % 100_000_000, 8)}` },
  },
});

export const eventBytes = (e: NewEvent) => Buffer.byteLength(JSON.stringify(e.data) + JSON.stringify(e.metadata ?? {}));

/** A stand-in chain hash for rows written without the store (the raw baseline): same width, same cost to store. */
export const fakeHash = (i: number) => createHash('sha256').update(String(i)).digest();

/** `size` events of one command: they share its commandId, as the store requires of one append. */
export const vaccinationBatch = (from: number, size: number): NewEvent[] => {
  const commandId = randomUUID();
  return Array.from({ length: size }, (_, k) => {
    const e = vaccinationEvent(from + k);
    return { ...e, metadata: { ...e.metadata, commandId } };
  });
};
