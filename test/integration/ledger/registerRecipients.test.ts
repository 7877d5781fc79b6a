import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { SAPPORO, YOKOHAMA, person } from '../../support/people.js';
import {
  changeRecipient,
  commandContext,
  loadClaim,
  loadRecipient,
  handleRegisterRecipient,
  registerRecipients,
  registrationPipeline,
  type LedgerDeps,
} from '../../../src/ledger/index.js';
import { recipientStream } from '../../../src/domain/index.js';
import type { RecordedEvent, StreamWrite } from '../../../src/eventstore/contract.js';
import { ledgerOf } from '../../../src/api/ledgerOf.js';

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

/**
 * The ledger's batch path (what the CSV import uses) against the single command (POST /v1/recipients): the same
 * events, metadata, sealing and My Number claim decisions, one bulk append per batch, and nothing of a batch written
 * when it meets a concurrent writer.
 */
describe('registerRecipients: the ledger batch path', () => {
  let t: TestApp;
  let ledger: LedgerDeps;
  const clerk = (municipality: string) => ({ role: 'municipality' as const, sub: `clerk-${municipality}`, municipality });
  const now = new Date('2026-11-30T03:00:00Z');
  const input = (n: number, municipality: string, overrides: Partial<ReturnType<typeof person>> = {}) => ({ ...person(n, municipality), medicalWorker: false, ...overrides });
  const item = (n: number, municipality: string, overrides: Partial<ReturnType<typeof person>> = {}) => ({
    input: input(n, municipality, overrides),
    context: commandContext(clerk(municipality), `batch:${municipality}:${n}`, 'batch-run', now),
  });
  const raw = async (stream: string) => collect(ledger.store.readStream(stream));
  const shape = (events: RecordedEvent[]) => events.map((e) => ({ type: e.type, version: e.version, metadata: { ...e.metadata, recordedAt: 'at' } }));

  beforeAll(async () => {
    t = await createTestApp();
    ledger = ledgerOf(t.runtime);
  });
  afterAll(async () => t.close());

  it('writes what the single command writes: the same events, metadata, sealed fields and claim', async () => {
    const single = input(1, SAPPORO);
    await handleRegisterRecipient(ledger, single, commandContext(clerk(SAPPORO), `batch:${SAPPORO}:1`, 'batch-run', now));
    expect(await registerRecipients(ledger, [item(2, SAPPORO)])).toEqual([{ kind: 'registered' }]);

    const [one, two] = [recipientStream(SAPPORO, single.coupon), recipientStream(SAPPORO, person(2).coupon)];
    const [rawOne, rawTwo] = [await raw(one), await raw(two)];
    expect(shape(rawTwo)).toEqual(shape(rawOne).map((e) => ({ ...e, metadata: { ...e.metadata, commandId: `batch:${SAPPORO}:2`, causationId: `batch:${SAPPORO}:2` } })));
    // Personal fields are sealed in the store, as on the single path, and open to the same person.
    expect(Object.keys(rawTwo[0].data).sort()).toEqual(Object.keys(rawOne[0].data).sort());
    expect(JSON.stringify(rawTwo.map((e) => [e.data, e.metadata]))).not.toContain(person(2).myNumber);
    expect(JSON.stringify(rawTwo.map((e) => [e.data, e.metadata]))).not.toContain(person(2).name);
    const opened = (await loadRecipient(ledger, two)).events[0].data as { personal: Record<string, unknown> };
    const openedOne = (await loadRecipient(ledger, one)).events[0].data as { personal: Record<string, unknown> };
    expect(opened.personal).toEqual({ ...openedOne.personal, addressNumber: 'A2', name: person(2).name, myNumber: person(2).myNumber });
    // The nationwide claim is taken in the same append, as on the single path.
    const claim = await loadClaim(ledger, person(2).myNumber);
    expect(claim.state.active).toEqual({ stream: two, municipality: SAPPORO, coupon: person(2).coupon });
    expect(shape(await raw(claim.stream))).toEqual(shape(await raw((await loadClaim(ledger, single.myNumber)).stream)).map((e) => ({ ...e, metadata: { ...e.metadata, commandId: `batch:${SAPPORO}:2`, causationId: `batch:${SAPPORO}:2` } })));
  });

  it("bulk-appends as the server's least-privileged role: INSERT (and SELECT) on events, nothing more", async () => {
    const { rows } = await t.runtime.pool.query<{ role: string; ins: boolean; upd: boolean; owner: boolean }>(
      `SELECT current_user AS role, has_table_privilege('events', 'INSERT') AS ins, has_table_privilege('events', 'UPDATE') AS upd,
         pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE tablename = 'events'), 'MEMBER') AS owner`,
    );
    expect(rows[0]).toMatchObject({ ins: true, upd: false, owner: false });
    expect(rows[0].role).toMatch(/^vrs_app_/);
    expect(await registerRecipients(ledger, [item(90, SAPPORO), item(91, SAPPORO)])).toEqual([{ kind: 'registered' }, { kind: 'registered' }]);
  });

  it('decides items in order: existing and repeated streams, a number held elsewhere or earlier in the batch, a number freed by erasure', async () => {
    // 20: registered elsewhere and still active; 21: registered, then erased (its claim released).
    await handleRegisterRecipient(ledger, input(20, YOKOHAMA), commandContext(clerk(YOKOHAMA)));
    await handleRegisterRecipient(ledger, input(21, YOKOHAMA), commandContext(clerk(YOKOHAMA)));
    await changeRecipient(ledger, recipientStream(YOKOHAMA, person(21).coupon), { type: 'ErasePersonalData', reason: 'request' }, commandContext({ role: 'admin', sub: 'admin-1' }));
    await handleRegisterRecipient(ledger, input(22, SAPPORO), commandContext(clerk(SAPPORO)));

    const outcomes = await registerRecipients(ledger, [
      item(22, SAPPORO), // its stream exists
      item(23, SAPPORO),
      item(23, SAPPORO), // the same coupon again
      item(24, SAPPORO, { myNumber: person(20).myNumber }), // active in Yokohama
      item(25, SAPPORO, { myNumber: person(21).myNumber }), // freed by the erasure: claimed again
      item(26, SAPPORO, { myNumber: person(23).myNumber }), // claimed by an earlier item of this batch
      item(27, SAPPORO, { birthDate: '2099-01-01' }), // a rule of the register command
    ]);
    expect(outcomes.map((o) => (o.kind === 'refused' ? [o.kind, o.error.code, o.earlierInBatch] : [o.kind]))).toEqual([
      ['exists'],
      ['registered'],
      ['exists'],
      ['refused', 'MY_NUMBER_ALREADY_ACTIVE', false],
      ['registered'],
      ['refused', 'MY_NUMBER_ALREADY_ACTIVE', true],
      ['refused', 'DATE_IN_FUTURE', false],
    ]);
    const freed = await loadClaim(ledger, person(21).myNumber);
    expect(freed.state.active?.stream).toBe(recipientStream(SAPPORO, person(25).coupon));
    expect((await raw(freed.stream)).map((e) => e.type)).toEqual(['MyNumberClaimed', 'MyNumberUnlinked', 'MyNumberClaimed']);
    expect(await ledger.store.streamVersions([24, 26, 27].map((n) => recipientStream(SAPPORO, person(n).coupon)))).toEqual(new Map());
  });

  it('writes nothing of a batch that meets a concurrent writer, then settles it item by item', async () => {
    const items = [30, 31, 32].map((n) => item(n, SAPPORO));
    let bulkCalls = 0;
    // Another writer registers item 31 between the batch's read and its append.
    const racing: LedgerDeps = {
      ...ledger,
      store: {
        ...ledger.store,
        appendBulk: async (writes: StreamWrite[]) => {
          bulkCalls++;
          await handleRegisterRecipient(ledger, input(31, SAPPORO), commandContext(clerk(SAPPORO), 'another-clerk'));
          return ledger.store.appendBulk(writes);
        },
      },
    };
    const outcomes = await registerRecipients(racing, items);
    expect(bulkCalls).toBe(1);
    // Had any of the batch been written, 30 or 32 would now answer `exists` (their command already recorded).
    expect(outcomes).toEqual([{ kind: 'registered' }, { kind: 'exists' }, { kind: 'registered' }]);
    for (const n of [30, 31, 32]) expect((await raw(recipientStream(SAPPORO, person(n).coupon))).map((e) => e.type)).toEqual(['RecipientRegistered']);
    expect((await raw(recipientStream(SAPPORO, person(31).coupon)))[0].metadata.commandId).toBe('another-clerk');
    // Run again: every item is there already, and nothing is written twice.
    expect(await registerRecipients(ledger, items)).toEqual([{ kind: 'exists' }, { kind: 'exists' }, { kind: 'exists' }]);
    expect((await raw((await loadClaim(ledger, person(30).myNumber)).stream)).map((e) => e.type)).toEqual(['MyNumberClaimed']);
  });

  it('pipelines batches with the answers of one after another, deciding again after a batch that did not land as planned', async () => {
    // The next batch is decided while the one before appends (held until the next batch has read the store): a
    // coupon and a My Number repeated across them.
    let reads = 0;
    let bulkAppends = 0;
    let secondRead!: () => void;
    const readTwice = new Promise<void>((resolve) => (secondRead = resolve));
    const held: LedgerDeps = {
      ...ledger,
      store: {
        ...ledger.store,
        streamVersions: async (streams: string[]) => {
          const found = await ledger.store.streamVersions(streams);
          if (++reads === 2) secondRead();
          return found;
        },
        appendBulk: async (writes: StreamWrite[]) => {
          bulkAppends++;
          await readTwice;
          return ledger.store.appendBulk(writes);
        },
      },
    };
    const register = registrationPipeline(held);
    const [first, second] = await Promise.all([
      register([item(50, SAPPORO), item(51, SAPPORO)]),
      register([item(50, SAPPORO), item(52, SAPPORO, { myNumber: person(51).myNumber })]),
    ]);
    expect(first).toEqual([{ kind: 'registered' }, { kind: 'registered' }]);
    expect(second.map((o) => (o.kind === 'refused' ? [o.kind, o.error.code, o.earlierInBatch] : [o.kind]))).toEqual([
      ['exists'],
      ['refused', 'MY_NUMBER_ALREADY_ACTIVE', false],
    ]);
    // Decided as if the first were written: nothing left to append, no conflict to settle item by item.
    expect(bulkAppends).toBe(1);

    // Another writer takes coupon 61 (with another My Number) while the first batch appends: 61's number stays free,
    // so the second batch, first decided as if 61 had claimed it, must be decided again and register 62.
    let raced = false;
    const racing: LedgerDeps = {
      ...ledger,
      store: {
        ...ledger.store,
        appendBulk: async (writes: StreamWrite[]) => {
          if (!raced) {
            raced = true;
            await handleRegisterRecipient(ledger, input(61, SAPPORO, { myNumber: person(69).myNumber }), commandContext(clerk(SAPPORO), 'another-clerk-61'));
          }
          return ledger.store.appendBulk(writes);
        },
      },
    };
    const pipeline = registrationPipeline(racing);
    const [a, b] = await Promise.all([pipeline([item(60, SAPPORO), item(61, SAPPORO)]), pipeline([item(62, SAPPORO, { myNumber: person(61).myNumber })])]);
    expect(a).toEqual([{ kind: 'registered' }, { kind: 'exists' }]);
    expect(b).toEqual([{ kind: 'registered' }]);
    expect((await loadClaim(ledger, person(61).myNumber)).state.active?.stream).toBe(recipientStream(SAPPORO, person(62).coupon));
  });
});
