import fc from 'fast-check';
import { addDays, DomainError, recipientStream, validDoses } from '../../../../src/domain/index.js';
import {
  changeRecipient,
  commandContext,
  loadRecipient,
  handleRegisterRecipient,
  transferRecipient,
  type LedgerDeps,
} from '../../../../src/ledger/index.js';
import { CHIYODA, SAPPORO, coupon, myNumberFor } from '../../../support/people.js';

const makers = ['pfizer', 'moderna'] as const;
const lots = { pfizer: 'FA1234', moderna: '3001234' } as const;
const kanas = ['ヤマダ タロウ', 'やまだ はなこ', 'ｽｽﾞｷ ｲﾁﾛｳ', 'サトウ ジロウ'];
const actor = { role: 'municipality', sub: 'test', municipality: CHIYODA };

/** One step of a random history; `who` picks a person, the rest shapes the command. */
export type Step =
  | { kind: 'register'; who: number; kana: number }
  | { kind: 'record'; who: number; gap: number; maker: 0 | 1 }
  | { kind: 'correct'; who: number; shift: number }
  | { kind: 'void'; who: number }
  | { kind: 'details'; who: number; kana: number; sex: 'M' | 'F' }
  | { kind: 'erase'; who: number }
  | { kind: 'transfer'; who: number };

export const stepArb = (people: number): fc.Arbitrary<Step> => {
  const who = fc.integer({ min: 0, max: people - 1 });
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), who, kana: fc.nat(kanas.length - 1) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('record' as const), who, gap: fc.integer({ min: 21, max: 200 }), maker: fc.constantFrom(0 as const, 1 as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('correct' as const), who, shift: fc.integer({ min: -3, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('details' as const), who, kana: fc.nat(kanas.length - 1), sex: fc.constantFrom('M' as const, 'F' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), who }) },
  );
};

/**
 * Runs steps through the real command side (decide + sealed appends). A step the domain refuses writes
 * nothing and is skipped, so what lands in the store is always a valid history. Person `who` lives at
 * coupon `who` in Chiyoda (a step on someone not registered registers them); a transfer takes them to Sapporo (coupon 1000 + who).
 */
export const runSteps = async (deps: LedgerDeps, steps: Step[], seed = 0): Promise<{ written: number; refused: number }> => {
  let written = 0;
  let refused = 0;
  for (const [i, s] of steps.entries()) {
    const c = commandContext(actor, `cmd-${seed}-${i}`);
    const stream = recipientStream(CHIYODA, coupon(s.who));
    try {
      const register = () =>
        handleRegisterRecipient(deps, {
          municipality: CHIYODA,
          coupon: coupon(s.who),
          addressNumber: `A${s.who}`,
          name: `接種 太郎${s.who}`,
          nameKana: kanas['kana' in s ? s.kana : s.who % kanas.length],
          birthDate: '1960-04-01',
          sex: 'M',
          address: '東京都千代田区',
          myNumber: myNumberFor(20_000_000 + s.who),
          medicalWorker: false,
        }, c);
      if (s.kind === 'register') {
        await register();
      } else if (s.kind === 'transfer') {
        await transferRecipient(deps, { from: { municipality: CHIYODA, coupon: coupon(s.who) }, myNumber: myNumberFor(20_000_000 + s.who), consent: { method: 'in-person', at: '2021-01-01T00:00:00Z' }, to: { municipality: SAPPORO, coupon: coupon(1000 + s.who), addressNumber: `B${s.who}` } }, c);
      } else {
        const loaded = await loadRecipient(deps, stream);
        // Acting on someone not yet registered: register them instead (most steps then do something).
        if (loaded.state.kind !== 'registered') {
          await register();
          written++;
          continue;
        }
        const valid = validDoses(loaded.state);
        const last = valid[valid.length - 1];
        if (s.kind === 'record') {
          const maker = makers[s.maker];
          await changeRecipient(deps, stream, { type: 'RecordVaccination', doseNumber: valid.length + 1, date: addDays(last?.date ?? '2021-05-01', s.gap), vaccine: { maker, lot: lots[maker] }, siteCode: '1312345678', source: 'manual' }, c);
        } else if (s.kind === 'correct') {
          if (!last) throw new DomainError('DOSE_NOT_FOUND', 'none');
          await changeRecipient(deps, stream, { type: 'CorrectVaccination', doseNumber: last.doseNumber, changes: { date: addDays(last.date, s.shift) }, reason: 'typo' }, c);
        } else if (s.kind === 'void') {
          if (!last) throw new DomainError('DOSE_NOT_FOUND', 'none');
          await changeRecipient(deps, stream, { type: 'VoidVaccination', doseNumber: last.doseNumber, reason: 'wrong person' }, c);
        } else if (s.kind === 'details') {
          await changeRecipient(deps, stream, { type: 'CorrectRecipientDetails', changes: { nameKana: kanas[s.kana], sex: s.sex }, reason: 'typo' }, c);
        } else {
          await changeRecipient(deps, stream, { type: 'ErasePersonalData', reason: 'retention over' }, c);
        }
      }
      written++;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (process.env.VRS_TEST_TRACE) console.log(s.kind, e.code);
      refused++;
    }
  }
  return { written, refused };
};
