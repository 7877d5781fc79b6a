import { describe, expect, it } from '@jest/globals';
import { isDatabaseUnavailable } from '../../../src/eventstore/databaseUnavailable.js';
import { toHttpError } from '../../../src/api/errorMapping.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('PostgreSQL unreachable or refusing', () => {
  it('recognises a refused or broken connection and a server shutting down or starting', () => {
    expect(isDatabaseUnavailable(withCode('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('08006'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('ECONNRESET') }))).toBe(true);
  });

  it('does not take a refused statement for an unavailable database', () => {
    expect(isDatabaseUnavailable(withCode('23505', 'duplicate key value'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('42501', 'permission denied for table events'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After; anything else unknown stays a 500 without detail', () => {
    const down = toHttpError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'));
    expect(down.status).toBe(503);
    expect(down.headers).toEqual({ 'retry-after': expect.stringMatching(/^\d+$/) });
    expect(down.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(down.body.error.message).not.toContain('127.0.0.1');
    expect(toHttpError(withCode('42501')).status).toBe(500);
  });
});
