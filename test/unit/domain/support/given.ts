import { expect } from '@jest/globals';
import {
  RecipientCommand,
  RecipientEvent,
  recipientDecider,
  foldRecipient,
  type DomainErrorCode,
  type RecipientCommandInput,
  type RecipientState,
  type Result,
} from '../../../../src/domain/index.js';

export const MUNICIPALITY = '131016'; // 千代田区
export const OTHER_MUNICIPALITY = '141003'; // 横浜市
export const COUPON = '0000000001';
export const TODAY = '2024-06-01';
export const BIRTH = '1980-05-15';

type Input<T extends RecipientCommandInput['type']> = Extract<RecipientCommandInput, { type: T }>;

export const register = (over: Partial<Input<'RegisterRecipient'>> = {}): Input<'RegisterRecipient'> => ({
  type: 'RegisterRecipient',
  today: TODAY,
  municipality: MUNICIPALITY,
  coupon: COUPON,
  addressNumber: 'A-1',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  birthDate: BIRTH,
  sex: 'M',
  ...over,
});

export const record = (
  doseNumber: number,
  date: string,
  maker: 'pfizer' | 'moderna' | 'astrazeneca' | 'novavax' = 'pfizer',
  lot?: string,
): Input<'RecordVaccination'> => ({
  type: 'RecordVaccination',
  today: TODAY,
  doseNumber,
  date,
  vaccine: { maker, lot: lot ?? defaultLot[maker] },
  siteCode: '1312345678',
});

const defaultLot = { pfizer: 'FA1234', moderna: '3001234', astrazeneca: 'AZ01', novavax: 'NV01' } as const;

/** Runs commands through decide + evolve; throws at the first refusal (fixtures must be valid). */
export const history = (...commands: RecipientCommandInput[]): RecipientEvent[] => {
  const events: RecipientEvent[] = [];
  for (const c of commands) {
    const r = recipientDecider.decide(RecipientCommand.parse(c), foldRecipient(events));
    if (!r.ok) throw new Error(`fixture refused: ${r.error.code} ${r.error.message}`);
    events.push(...r.value);
  }
  return events;
};

export const given = (...events: RecipientEvent[]) => ({
  when: (command: RecipientCommandInput) => {
    const state: RecipientState = foldRecipient(events);
    const result: Result<RecipientEvent[]> = recipientDecider.decide(RecipientCommand.parse(command), state);
    if (result.ok) for (const e of result.value) RecipientEvent.parse(e); // every event fits its schema
    return {
      result,
      state,
      /** Expected events, or the code of the refusal (and optionally its field). Synchronous: do not await. */
      then: (expected: RecipientEvent[] | DomainErrorCode, field?: string): void => {
        if (typeof expected === 'string') {
          expect(result.ok ? `accepted: ${JSON.stringify(result.value)}` : result.error.code).toBe(expected);
          if (field !== undefined && !result.ok) expect(result.error.details?.field).toBe(field);
        } else {
          expect(result).toEqual({ ok: true, value: expected });
        }
      },
      /** The events, for assertions on part of them. */
      events: (): RecipientEvent[] => {
        if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
        return result.value;
      },
    };
  },
});
