import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../../support/testApp.js';
import { CHIYODA, person } from '../../support/people.js';
import { changeRecipient, loadRecipient, handleRegisterRecipient, type LedgerDeps } from '../../../src/ledger/index.js';
import { commandContext } from '../../../src/ledger/commandContext.js';
import { recipientStream } from '../../../src/domain/index.js';
import { ledgerOf } from '../../../src/api/ledgerOf.js';

/**
 * Erasure appends PersonalDataErased, then deletes the data key. A process that dies in between must not leave
 * the person's data readable: the next read of the stream, or the client's retry, finishes the erasure.
 */
describe('erasure interrupted between the event and the key deletion', () => {
  let t: TestApp;
  let ledger: LedgerDeps;
  const admin = { role: 'admin' as const, sub: 'admin-1' };
  const clerk = { role: 'municipality' as const, sub: 'clerk-1', municipality: CHIYODA };

  /** The ledger as in a process killed right after the erasure's append. */
  const crashingAfterAppend = (): LedgerDeps => ({
    ...ledger,
    dataKeys: { ...ledger.dataKeys, erase: async () => Promise.reject(new Error('process killed')) },
  });
  const keyCount = async (stream: string) =>
    Number((await t.runtime.pool.query<{ n: string }>('SELECT count(*) AS n FROM recipient_keys WHERE stream = $1', [stream])).rows[0].n);

  const registered = async (n: number) => {
    const p = person(n);
    await handleRegisterRecipient(ledger, { ...p, medicalWorker: false }, commandContext(clerk));
    return { p, stream: recipientStream(CHIYODA, p.coupon) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    ledger = ledgerOf(t.runtime);
  });
  afterAll(async () => t.close());

  it('the next read shows the record erased and deletes the surviving key', async () => {
    const { p, stream } = await registered(1);
    const erase = commandContext(admin, 'erase-1');
    await expect(changeRecipient(crashingAfterAppend(), stream, { type: 'ErasePersonalData', reason: 'request' }, erase)).rejects.toThrow('process killed');
    expect(await keyCount(stream)).toBe(1);

    const loaded = await loadRecipient(ledger, stream);
    const data = JSON.stringify(loaded.events.map((e) => e.data));
    expect(data).not.toContain(p.name);
    expect(data).not.toContain(p.myNumber);
    expect(await keyCount(stream)).toBe(0);
  });

  it('a retry of the erasure with its command id deletes the key', async () => {
    const { stream } = await registered(2);
    const erase = commandContext(admin, 'erase-2');
    await expect(changeRecipient(crashingAfterAppend(), stream, { type: 'ErasePersonalData', reason: 'request' }, erase)).rejects.toThrow('process killed');
    // The retry finds its earlier event (no second erasure) and the deletion is finished.
    const retried = await changeRecipient(ledger, stream, { type: 'ErasePersonalData', reason: 'request' }, erase);
    expect(retried.duplicate).toBe(true);
    const { rows } = await t.runtime.pool.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE stream = $1 AND type = 'PersonalDataErased'`, [stream]);
    expect(rows[0].n).toBe('1');
    expect(await keyCount(stream)).toBe(0);
  });
});
