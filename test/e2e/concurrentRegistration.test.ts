import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/testApp.js';
import { CHIYODA, SAPPORO, person, myNumberFor } from '../support/people.js';
import { toHttpError } from '../../src/api/errorMapping.js';
import { StreamVersionConflictError } from '../../src/eventstore/errors.js';

/** Two municipalities registering one person at the same moment: one registration, and the loser told why. */
let t: TestApp;
let chiyoda: Record<string, string>;
let sapporo: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  chiyoda = await t.auth('municipality', { municipality: CHIYODA, sub: 'clerk-chiyoda' });
  sapporo = await t.auth('municipality', { municipality: SAPPORO, sub: 'clerk-sapporo' });
});
afterAll(async () => t.close());

describe('one active registration per My Number, under concurrency', () => {
  it('answers the losing registration MY_NUMBER_ALREADY_ACTIVE, never a conflict that names the claim stream', async () => {
    for (let round = 0; round < 20; round++) {
      const myNumber = myNumberFor(30_000_000 + round);
      const [a, b] = await Promise.all([
        t.app.inject({ method: 'POST', url: '/v1/recipients', headers: chiyoda, payload: { ...person(100 + round, CHIYODA), myNumber } }),
        t.app.inject({ method: 'POST', url: '/v1/recipients', headers: sapporo, payload: { ...person(100 + round, SAPPORO), myNumber } }),
      ]);
      const statuses = [a.statusCode, b.statusCode].sort();
      expect({ round, statuses }).toEqual({ round, statuses: [201, 409] });
      const loser = a.statusCode === 409 ? a : b;
      expect(loser.json().error.code).toBe('MY_NUMBER_ALREADY_ACTIVE');
      expect(loser.body).not.toContain('mynumber-');
      expect(loser.body).not.toContain(myNumber);
    }
    const { rows } = await t.runtime.pool.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE type = 'RecipientRegistered'`);
    expect(Number(rows[0].n)).toBe(20);
  });

  it('names only a recipient stream in a version conflict', () => {
    const claim = toHttpError(new StreamVersionConflictError('mynumber-3f2a9c', '1', '2'));
    expect(claim.status).toBe(409);
    expect(JSON.stringify(claim.body)).not.toContain('mynumber-');
    const recipient = toHttpError(new StreamVersionConflictError(`recipient-${CHIYODA}-0000000001`, '1', '2'));
    expect(recipient.body.error).toMatchObject({ code: 'STREAM_VERSION_CONFLICT', details: { stream: `recipient-${CHIYODA}-0000000001` } });
  });
});
