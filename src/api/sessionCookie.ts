import type { FastifyReply, FastifyRequest } from 'fastify';

/** The console's session cookie. `__Host-` (Secure, Path=/, no Domain) when the server itself speaks TLS. */
const PLAIN = 'vrs_session';
const HOST_ONLY = '__Host-vrs_session';

const overTls = (req: FastifyRequest) => req.protocol === 'https';

/** The session token from the Cookie header, if any (both names: a TLS server also reads the plain one). */
export const sessionTokenOf = (req: FastifyRequest): string | undefined => {
  const header = req.headers.cookie;
  if (!header) return undefined;
  let plain: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(value)) continue;
    if (name === HOST_ONLY) return value;
    if (name === PLAIN) plain = value;
  }
  return plain;
};

export const setSessionCookie = (req: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number) => {
  const tls = overTls(req);
  void reply.header(
    'set-cookie',
    `${tls ? HOST_ONLY : PLAIN}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`,
  );
};

export const clearSessionCookie = (req: FastifyRequest, reply: FastifyReply) => {
  const tls = overTls(req);
  void reply.header('set-cookie', `${tls ? HOST_ONLY : PLAIN}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`);
};
