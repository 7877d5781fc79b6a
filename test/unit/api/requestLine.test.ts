import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { loggerOptions, requestLineLogger } from '../../../src/api/logger.js';

const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
};

const loggerAt = (level: string, stream: Writable) => pino(loggerOptions(level, stream) as pino.LoggerOptions, stream) as unknown as FastifyBaseLogger;
const req = (url: string) => ({ id: 'req-7', method: 'POST', url, headers: { authorization: 'Bearer secret-token' } }) as unknown as FastifyRequest;
const reply = { statusCode: 201, elapsedTime: 3.5 } as unknown as FastifyReply;

describe('the request line (written without redaction, from fields that hold nothing personal)', () => {
  it('goes into the API logger’s stream with id, method, the masked path without query, status and time', () => {
    const { lines, stream } = capture();
    const log = loggerAt('info', stream);
    requestLineLogger(log)(req('/v1/recipients/131016/123456789012?nameKana=ヤマダ'), reply);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 30, reqId: 'req-7', req: { id: 'req-7', method: 'POST', path: '/v1/recipients/131016/[masked]' }, res: { statusCode: 201 }, responseTime: 3.5, msg: 'request completed' });
    expect(lines[0]).not.toContain('ヤマダ');
    expect(lines[0]).not.toContain('123456789012');
    expect(lines[0]).not.toContain('secret-token');
  });

  it('follows the API logger’s level: nothing below it', () => {
    const { lines, stream } = capture();
    requestLineLogger(loggerAt('warn', stream))(req('/v1/vaccinations'), reply);
    expect(lines).toEqual([]);
  });
});
