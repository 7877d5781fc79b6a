import { describeEventStoreContract } from '../../contract/eventStoreContract.js';
import { createTestStore } from '../../support/pgStore.js';

describeEventStoreContract('PostgreSQL', createTestStore);
