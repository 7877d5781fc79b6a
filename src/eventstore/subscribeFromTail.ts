import { Observable } from 'rxjs';
import type { ReadAllOptions, RecordedEvent, TailOptions } from './contract.js';

/** Any store's pull-based tail as an rxjs Observable of single events; unsubscribing stops the tail. */
export const subscribeFromTail = (
  tailAll: (o: TailOptions) => AsyncIterable<RecordedEvent[]>,
  options: ReadAllOptions,
): Observable<RecordedEvent> =>
  new Observable<RecordedEvent>((subscriber) => {
    const abort = new AbortController();
    (async () => {
      for await (const batch of tailAll({ ...options, signal: abort.signal })) {
        for (const e of batch) {
          if (subscriber.closed) return;
          subscriber.next(e);
        }
      }
      subscriber.complete();
    })().catch((e) => subscriber.error(e));
    return () => abort.abort();
  });
