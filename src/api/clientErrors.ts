import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { statusOf, type ErrorBody } from './errorMapping.js';

/**
 * What Node's HTTP parser refused, in the API's error shape. The parser's own `reason` and the bytes it stopped
 * at are left out: they repeat what the client sent (a header value, a URL), which may be anything.
 */
export const parserErrorBody = (err: NodeJS.ErrnoException): ErrorBody => {
  const code = err.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') return { error: { code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are larger than the server accepts' } };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return { error: { code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' } };
  }
  if (/^HPE_(INVALID_METHOD|INVALID_URL|INVALID_VERSION|INVALID_CONSTANT|STRICT|LF_EXPECTED|CR_EXPECTED)$/.test(code)) {
    return { error: { code: 'MALFORMED_REQUEST', message: 'the request line is not valid HTTP/1.1 (method, path, version)' } };
  }
  if (/^HPE_(INVALID_CHUNK_SIZE|INVALID_TRANSFER_ENCODING|INVALID_CONTENT_LENGTH|UNEXPECTED_CONTENT_LENGTH|CHUNK_EXTENSIONS_OVERFLOW)$/.test(code)) {
    return { error: { code: 'MALFORMED_REQUEST', message: 'the body framing is invalid (Content-Length or chunked Transfer-Encoding)' } };
  }
  if (/^HPE_INVALID_HEADER_TOKEN$|^HPE_INVALID_EOF_STATE$/.test(code)) return { error: { code: 'MALFORMED_REQUEST', message: 'a header is not valid HTTP/1.1' } };
  return { error: { code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' } };
};

/**
 * fastify's `clientErrorHandler`: the parser's errors never reach a route or the error handler, and fastify's own
 * answer is `{error: "Bad Request", message: "Client Error"}`. Answered once, then the connection is closed (the
 * parser cannot resynchronise); a response already under way is left alone, as Node does.
 */
export const clientErrorHandler = (err: NodeJS.ErrnoException, socket: Socket) => {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = parserErrorBody(err);
    const status = statusOf(body.error.code);
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
};
