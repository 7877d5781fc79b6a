import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  RecipientCommand,
  RecipientEvent,
  addDays,
  checkHistory,
  decide,
  foldRecipient,
  validDoses,
  type DoseFigures,
  type RecipientCommandInput,
  type RecipientState,
} from '../../../src/domain/index.js';
import { TODAY, history, register } from './support/given.js';

const key = (f: DoseFigures) =>
  [f.date, f.municipality, f.prefecture, f.sex, f.ageBand, f.doseNumber, f.maker, f.medicalWorker].join('|');

const makers = ['pfizer', 'moderna', 'astrazeneca', 'novavax'] as const;
const lots = { pfizer: 'FA1234', moderna: '3001234', astrazeneca: 'AZ1', novavax: 'NV1' } as const;

// Commands are built against the current state (next dose number, last date ± a gap), so many are
// accepted and many land exactly on or near a rule's boundary.
type Plan = (state: RecipientState) => RecipientCommandInput;
const gap = fc.oneof(fc.integer({ min: -3, max: 30 }), fc.integer({ min: 80, max: 200 }));
const maker = fc.constantFrom(...makers);
const lastDate = (s: RecipientState) => {
  const valid = s.kind === 'registered' ? validDoses(s) : [];
  return { count: valid.length, date: valid[valid.length - 1]?.date ?? '2021-05-01' };
};
const recordPlan = fc
  .record({ skew: fc.constantFrom(0, 0, 0, 0, 1, -1), gap, maker })
  .map(({ skew, gap, maker }): Plan => (s) => {
    const { count, date } = lastDate(s);
    return {
      type: 'RecordVaccination',
      today: TODAY,
      doseNumber: Math.min(7, Math.max(1, count + 1 + skew)),
      date: addDays(date, gap),
      vaccine: { maker, lot: lots[maker] },
      siteCode: 'S1',
    };
  });
const correctPlan = fc
  .record({ back: fc.integer({ min: 0, max: 3 }), shift: fc.integer({ min: -40, max: 40 }), maker })
  .map(({ back, shift, maker }): Plan => (s) => {
    const valid = s.kind === 'registered' ? validDoses(s) : [];
    const d = valid[Math.max(0, valid.length - 1 - back)];
    return {
      type: 'CorrectVaccination',
      today: TODAY,
      doseNumber: d?.doseNumber ?? 1,
      changes: { date: addDays(d?.date ?? '2021-05-01', shift), vaccine: { maker, lot: lots[maker] } },
      reason: 'r',
    };
  });
const voidPlan = fc.integer({ min: 0, max: 2 }).map((back): Plan => (s) => ({
  type: 'VoidVaccination',
  today: TODAY,
  doseNumber: Math.max(1, lastDate(s).count - back),
  reason: 'r',
}));
// Born 1956-08-01 vs 1960-01-01: doses move between the -64 and 65- bands.
const detailsPlan = fc.constantFrom('M' as const, 'F' as const).map((sex): Plan => () => ({
  type: 'CorrectRecipientDetails',
  today: TODAY,
  changes: { sex, birthDate: sex === 'M' ? '1956-08-01' : '1960-01-01' },
  reason: 'r',
}));
const plan: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 4, arbitrary: recordPlan },
  { weight: 2, arbitrary: correctPlan },
  { weight: 1, arbitrary: voidPlan },
  { weight: 1, arbitrary: detailsPlan },
);

// Guard against a vacuous property: the random commands must actually write doses, corrections and voids.
const written = new Map<string, number>();

describe('whatever commands arrive, the written history keeps every rule and the counts add up', () => {
  it('holds for random command sequences', () => {
    fc.assert(
      fc.property(fc.array(plan, { maxLength: 30 }), (plans) => {
        const events: RecipientEvent[] = history(register({ birthDate: '1956-08-01' }));
        for (const p of plans) {
          const state = foldRecipient(events);
          const r = decide(RecipientCommand.parse(p(state)), state);
          if (!r.ok) continue;
          events.push(...r.value.map((e) => RecipientEvent.parse(e)));
          for (const e of r.value) written.set(e.type, (written.get(e.type) ?? 0) + 1);
        }
        const state = foldRecipient(events);
        if (state.kind !== 'registered') throw new Error('not registered');
        const valid = validDoses(state);
        const h = valid.map((d) => ({ doseNumber: d.doseNumber, date: d.date, maker: d.vaccine.maker, lot: d.vaccine.lot }));
        expect(checkHistory(h, { birthDate: state.person?.birthDate ?? null, today: TODAY })).toEqual({ ok: true, value: undefined });

        // Σ add − Σ remove over all statsDelta = the figures of the valid doses now.
        const counts = new Map<string, number>();
        for (const e of events) {
          if (!('statsDelta' in e.data)) continue;
          for (const f of e.data.statsDelta.add) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
          for (const f of e.data.statsDelta.remove) counts.set(key(f), (counts.get(key(f)) ?? 0) - 1);
        }
        const expected = new Map<string, number>();
        for (const d of valid) expected.set(key(d.figures), (expected.get(key(d.figures)) ?? 0) + 1);
        expect([...counts].filter(([, n]) => n !== 0).sort()).toEqual([...expected].sort());
      }),
      { numRuns: 600 },
    );
    expect(written.get('VaccinationRecorded')).toBeGreaterThan(200);
    expect(written.get('VaccinationCorrected')).toBeGreaterThan(50);
    expect(written.get('VaccinationVoided')).toBeGreaterThan(20);
    expect(written.get('RecipientDetailsCorrected')).toBeGreaterThan(30);
  });
});
