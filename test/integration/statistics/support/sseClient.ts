import http from 'node:http';

export type SseMessage = { id?: string; event: string; data: string };

/**
 * A raw SSE client over node:http (no EventSource): collects parsed messages, can pause reading or be closed.
 */
export const connectSse = (url: string, headers: Record<string, string>) =>
  new Promise<{
    messages: SseMessage[];
    status: number;
    ended: Promise<void>;
    req: http.ClientRequest;
    res: http.IncomingMessage;
    close: () => void;
    bytes: () => number;
  }>((resolve, reject) => {
    const messages: SseMessage[] = [];
    let bytes = 0;
    // agent: false — a connection of its own: Node's global keep-alive agent is shared by every test file in a jest worker.
    const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const m: SseMessage = { event: 'message', data: '' };
          let has = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line.startsWith('retry:')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') m.id = value;
            if (field === 'event') m.event = value;
            if (field === 'data') m.data += value;
            has = true;
          }
          if (has) messages.push(m);
        }
      });
      resolve({ messages, status: res.statusCode ?? 0, ended, req, res, close: () => req.destroy(), bytes: () => bytes });
    });
    req.on('error', reject);
  });

/** Waits until `check` holds, polling; fails with `what` after the limit (a bound, not a timing assertion). */
export const eventually = async (check: () => boolean | Promise<boolean>, what: string, limitMs = 20000) => {
  const until = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
