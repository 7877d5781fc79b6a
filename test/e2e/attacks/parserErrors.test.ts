import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../support/testApp.js';

/**
 * Raw bytes that Node's HTTP parser refuses before fastify routes anything: each answer must still be the API's
 * `{error: {code, message}}`, with a status that says what went wrong, and must not repeat what was sent.
 */
describe('attack: malformed HTTP on a listening server', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  /** Writes the bytes, reads until the server closes: status line, headers, body. */
  const raw = (bytes: string | Buffer) =>
    new Promise<{ status: number; headers: string; body: string }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (b) => chunks.push(b));
      socket.on('error', () => {}); // a reset after the answer is fine: what was received counts
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
        if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        resolve({ status: Number(m[1]), headers: m[2], body: m[3] });
      });
      socket.setTimeout(10_000, () => socket.destroy());
      socket.write(bytes);
    });

  const SECRET = '123456789018'; // looks like a My Number: must never come back
  const expectShape = (r: { status: number; headers: string; body: string }, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.headers).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(r.body) as { error: { code: string; message: string } };
    expect(body).toEqual({ error: { code, message: expect.any(String) } });
    expect(r.body).not.toContain(SECRET);
  };

  it('headers larger than the limit → 431 HEADERS_TOO_LARGE', async () => {
    const r = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${SECRET}${'a'.repeat(70_000)}\r\n\r\n`);
    expectShape(r, 431, 'HEADERS_TOO_LARGE');
  });

  it.each([
    ['an unknown method', `FR0B /v1/recipients?myNumber=${SECRET} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['a bad HTTP version', `GET /healthz?q=${SECRET} HTTP/9.x\r\nHost: x\r\n\r\n`],
    ['a space inside the path', `GET /v1/${SECRET} x HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['no request line at all', `\u0001\u0002${SECRET}\r\n\r\n`],
  ])('%s → 400 MALFORMED_REQUEST', async (_name, bytes) => {
    expectShape(await raw(bytes), 400, 'MALFORMED_REQUEST');
  });

  it('a header name with forbidden characters → 400 MALFORMED_REQUEST', async () => {
    expectShape(await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nBad{Header}: ${SECRET}\r\n\r\n`), 400, 'MALFORMED_REQUEST');
  });

  it('both Content-Length and chunked (request smuggling) → 400 MALFORMED_REQUEST', async () => {
    const r = await raw(`POST /v1/recipients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    expectShape(r, 400, 'MALFORMED_REQUEST');
  });

  it('a bad chunk size in the body of an authenticated write → 400 MALFORMED_REQUEST', async () => {
    const { authorization } = await t.auth('municipality', { municipality: '131016', sub: 'clerk-chiyoda' });
    const r = await raw(
      `POST /v1/recipients HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz${SECRET}\r\n{}\r\n0\r\n\r\n`,
    );
    expectShape(r, 400, 'MALFORMED_REQUEST');
  });

  it('a well-formed request on the same server is answered as usual (the control)', async () => {
    const r = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(r.status).toBe(200);
  });
});
