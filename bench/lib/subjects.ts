import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import type { NewEvent } from '../../src/eventstore/contract.js';
import { openOurStore } from './ourStore.js';

/** One event store seen through the workloads the peer comparison runs on both. */
export type Subject = {
  name: string;
  /** Appends to a stream that must not exist yet. */
  appendNew: (stream: string, events: NewEvent[]) => Promise<unknown>;
  /** Appends with no version expectation. */
  appendAny: (stream: string, events: NewEvent[]) => Promise<unknown>;
  /** Writes 1,000 events in one call (ours: ten streams of 100 through appendMany; Emmett: one stream). */
  seed: (key: number, events: NewEvent[]) => Promise<unknown>;
  /** Number of events read from one stream, start to end. */
  readStream: (stream: string) => Promise<number>;
  /** Reads every event from the start through the store's subscription path; stops at `limit` or `deadline`. */
  catchUp: (limit: number, deadline: number) => Promise<number>;
  close: () => Promise<void>;
};

export const ourSubject = async (url: string): Promise<Subject> => {
  const ours = await openOurStore(url, 20);
  return {
    name: 'ours',
    appendNew: (stream, events) => ours.store.append(stream, events, { expected: 'no_stream' }),
    appendAny: (stream, events) => ours.store.append(stream, events, { expected: 'any' }),
    seed: (key, events) =>
      ours.store.appendMany(
        Array.from({ length: events.length / 100 }, (_, j) => ({ stream: `seed-${key}-${j}`, events: events.slice(j * 100, j * 100 + 100) })),
      ),
    readStream: async (stream) => {
      let n = 0;
      for await (const _ of ours.store.readStream(stream)) n++;
      return n;
    },
    catchUp: async (limit, deadline) => {
      let n = 0;
      for await (const _ of ours.store.readAll({ batch: 1000 })) if (++n >= limit || (n % 1000 === 0 && Date.now() > deadline)) break;
      return n;
    },
    close: ours.close,
  };
};

export const emmettSubject = async (url: string): Promise<Subject> => {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  return {
    name: 'Emmett',
    appendNew: (stream, events) =>
      store.appendToStream(stream, events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata })), {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      }),
    appendAny: (stream, events) => store.appendToStream(stream, events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }))),
    seed: (key, events) => store.appendToStream(`seed-${key}`, events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }))),
    readStream: async (stream) => (await store.readStream(stream)).events.length,
    catchUp: async (limit, deadline) => {
      let n = 0;
      // The settings that make Emmett's consumer fastest (see NOTES.md): batches of 1000, no wait between pulls.
      const consumer = store.consumer({ pulling: { batchSize: 1000, pullingFrequencyInMs: 0 }, stopWhen: { noMessagesLeft: true } });
      consumer.reactor({
        processorId: `bench-${Date.now()}`,
        startFrom: 'BEGINNING',
        eachMessage: async () => {
          n++;
        },
        stopAfter: () => n >= limit || Date.now() > deadline,
      });
      await consumer.start();
      await consumer.close();
      return n;
    },
    close: () => store.close(),
  };
};
