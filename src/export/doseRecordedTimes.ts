import { recipientStream } from '../domain/index.js';
import type { EventStore, RecordedEvent } from '../eventstore/contract.js';

/** When each valid dose was recorded, or where it was carried from (resolved in the source stream). */
type DoseTime = { at: Date } | { carriedFrom: string; at: Date };

/**
 * Valid dose number → the time of the VaccinationRecorded event that recorded it. Corrections keep the time of
 * the original record; a void frees the number. Only event metadata and dose numbers are read: no personal field.
 */
export const doseTimesOf = (events: Iterable<RecordedEvent>): Map<number, DoseTime> => {
  const times = new Map<number, DoseTime>();
  for (const e of events) {
    if (e.type === 'VaccinationRecorded') times.set(Number(e.data.doseNumber), { at: e.recordedAt });
    else if (e.type === 'VaccinationVoided') times.delete(Number(e.data.doseNumber));
    else if (e.type === 'RecipientTransferredIn') {
      const from = recipientStream(String(e.data.fromMunicipality), String(e.data.fromCoupon));
      for (const d of e.data.doses as { doseNumber: number }[]) times.set(d.doseNumber, { carriedFrom: from, at: e.recordedAt });
    }
  }
  return times;
};

const MAX_HOPS = 10;

/**
 * Resolves carried doses to the time they were first recorded, following transfers back (A → B → C). A source
 * stream that cannot be read falls back to the time of the transfer that carried the dose.
 */
export const resolveDoseTimes = async (store: EventStore, events: RecordedEvent[]): Promise<Map<number, Date>> => {
  const out = new Map<number, Date>();
  const cache = new Map<string, Map<number, DoseTime>>();
  const read = async (stream: string) => {
    let times = cache.get(stream);
    if (!times) {
      const evs: RecordedEvent[] = [];
      for await (const e of store.readStream(stream)) evs.push(e);
      times = doseTimesOf(evs);
      cache.set(stream, times);
    }
    return times;
  };
  for (const [dose, first] of doseTimesOf(events)) {
    let t: DoseTime | undefined = first;
    for (let hop = 0; t && 'carriedFrom' in t && hop < MAX_HOPS; hop++) {
      const source: DoseTime | undefined = (await read(t.carriedFrom)).get(dose);
      if (!source) break;
      t = source;
    }
    out.set(dose, t!.at);
  }
  return out;
};
