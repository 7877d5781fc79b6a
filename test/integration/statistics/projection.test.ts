import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestStore } from '../../support/pgStore.js';
import { createStatisticsProjector } from './support/projectStatistics.js';
import { tableCounts } from './support/sumDeltas.js';
import { corrected, fig, recorded, transferredIn, voided } from './support/figures.js';

describe('statistics projection', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let project: () => Promise<void>;
  beforeAll(async () => {
    t = await createTestStore();
    project = await createStatisticsProjector(t.store.pool, t.store);
  });
  afterAll(async () => t.cleanup());

  const a = fig({ date: '2021-04-12' });
  const aMoved = fig({ date: '2021-04-13' });
  const c = fig({ municipality: '011002', sex: 'M', ageBand: '65-', doseNumber: 2, maker: 'moderna', medicalWorker: true });

  it('adds doses, moves a corrected one, removes a voided one, ignores transfers and erasure', async () => {
    await t.store.append('recipient-131016-0000000001', [recorded(a), corrected(a, aMoved)]);
    await t.store.append('recipient-131016-0000000002', [recorded(a)]);
    await t.store.append('recipient-011002-0000000003', [recorded(c), voided(c)]);
    await t.store.append('recipient-141003-0000000009', [transferredIn(a), { type: 'PersonalDataErased', data: { reason: 'retention' } }]);
    await project();
    expect(await tableCounts(t.store.pool)).toEqual({
      '2021-04-12|13|131016|F|-64|1|pfizer|false': 1,
      '2021-04-13|13|131016|F|-64|1|pfizer|false': 1,
    });
  });

  it('refuses a counting event without a readable statsDelta and applies nothing of its batch', async () => {
    await t.store.append('recipient-131016-0000000004', [recorded(fig({ date: '2021-07-01' }))]);
    await t.store.append('recipient-131016-0000000005', [{ type: 'VaccinationVoided', data: { doseNumber: 1, reason: 'x', statsDelta: { add: 'nonsense' } } }]);
    await expect(project()).rejects.toMatchObject({ code: 'INVALID_STATS_DELTA' });
    expect(Object.keys(await tableCounts(t.store.pool)).some((k) => k.startsWith('2021-07-01'))).toBe(false);
  });
});
