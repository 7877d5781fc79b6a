import { describe, expect, it } from '@jest/globals';
import { shareReads } from '../../../src/eventstore/postgres/sharedReads.js';

const after = (position: bigint) => ({ transactionId: 1n, position });

describe('shareReads', () => {
  const counting = (answer: (position: bigint) => string[]) => {
    const calls: string[] = [];
    const read = shareReads(async (_db: null, a: { position: bigint }, batch: number) => {
      calls.push(`${a.position}/${batch}`);
      return answer(a.position);
    });
    return { read, calls };
  };

  it('tails asking for the same batch from the same checkpoint share one read, in flight or just done', async () => {
    const { read, calls } = counting(() => ['e1', 'e2']);
    const [a, b] = await Promise.all([read(null, after(5n), 10), read(null, after(5n), 10)]);
    const c = await read(null, after(5n), 10);
    expect([a, b, c]).toEqual([['e1', 'e2'], ['e1', 'e2'], ['e1', 'e2']]);
    expect(calls).toEqual(['5/10']);
    await read(null, after(6n), 10);
    await read(null, after(5n), 20);
    expect(calls).toEqual(['5/10', '6/10', '5/20']);
  });

  it('an empty answer is not kept: a tail woken by a notification reads again', async () => {
    let appended = false;
    const { read, calls } = counting(() => (appended ? ['new'] : []));
    expect(await read(null, after(9n), 10)).toEqual([]);
    appended = true;
    expect(await read(null, after(9n), 10)).toEqual(['new']);
    expect(calls).toEqual(['9/10', '9/10']);
  });

  it('a failed read is not kept', async () => {
    let fail = true;
    const read = shareReads(async () => {
      if (fail) throw new Error('connection lost');
      return ['ok'];
    });
    await expect(read(null, after(1n), 10)).rejects.toThrow('connection lost');
    fail = false;
    expect(await read(null, after(1n), 10)).toEqual(['ok']);
  });
});
