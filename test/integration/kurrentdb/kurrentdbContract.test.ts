import { jest } from '@jest/globals';
import { describeEventStoreContract, type StoreFactory } from '../../contract/eventStoreContract.js';
import { createKurrentDbEventStore } from '../../../src/eventstore/kurrentdb/store.js';
import { findServerSource, startKurrentDbContainer } from './kurrentdbServer.js';

// Pulling and starting the image can take longer than the default per-hook timeout.
jest.setTimeout(180_000);

const quiet = () => {};

const source = await findServerSource();

const factory: StoreFactory | null =
  source.kind === 'url'
    ? async () => {
        const store = await createKurrentDbEventStore({ connectionString: source.connectionString, log: quiet });
        return { store, cleanup: () => store.close() };
      }
    : source.kind === 'container'
      ? async () => {
          const server = await startKurrentDbContainer();
          const store = await createKurrentDbEventStore({ connectionString: server.connectionString, log: quiet });
          return {
            store,
            cleanup: async () => {
              await store.close();
              await server.stop();
            },
          };
        }
      : null;

describeEventStoreContract('KurrentDB', factory, source.kind === 'none' ? source.reason : undefined);

// A fully skipped file shows no test titles in Jest's default reporter: say why on the console as well.
if (source.kind === 'none') process.stderr.write(`\nKurrentDB event store contract SKIPPED: ${source.reason}\n`);
