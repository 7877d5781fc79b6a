import type { EventStore, RecordedEvent } from '../eventstore/contract.js';
import { ScanEvent } from './events.js';
import { scanStream } from './scanId.js';
import { evolveScan, initialScanState, type ScanState } from './state.js';

export type LoadedScan = { stream: string; state: ScanState; version: bigint; events: RecordedEvent[] };

/** Folds a scan stream; every stored event is checked against its schema on the way in. */
export const loadScan = async (store: EventStore, scanId: string): Promise<LoadedScan> => {
  const stream = scanStream(scanId);
  let state = initialScanState();
  let version = 0n;
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(stream)) {
    state = evolveScan(state, ScanEvent.parse({ type: e.type, data: e.data }));
    version = e.version;
    events.push(e);
  }
  return { stream, state, version, events };
};
