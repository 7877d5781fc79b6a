import type { ServerResponse } from 'node:http';
import type { EventStore } from '../eventstore/contract.js';
import { compareCheckpoints, isAfterCheckpoint } from '../eventstore/checkpointOrder.js';
import type { LiveHub } from '../statistics/live/liveHub.js';
import type { LiveChunk } from '../statistics/live/liveTypes.js';
import { replayFrames } from '../statistics/live/replayFrames.js';
import { deltaFrame, errorFrame, heartbeatFrame, retryFrame } from '../statistics/live/sseFrames.js';

export type LiveClientOptions = {
  hub: LiveHub;
  store: EventStore;
  /** The client's Last-Event-ID: deltas after it are sent, none before. */
  lastEventId?: string;
  /** Bytes queued for this client (socket buffer + held live chunks) past which it is cut off. */
  maxBufferBytes?: number;
  heartbeatMs?: number;
};

/**
 * Serves one SSE client on a raw response: replay from the store after its Last-Event-ID up to where the hub
 * stood when it joined, then the hub's chunks after that, so no delta is missing or repeated. A client whose
 * queue passes the bound gets a final `overflow` error and is disconnected; others never wait for it.
 */
export const serveLiveClient = async (res: ServerResponse, o: LiveClientOptions): Promise<void> => {
  const maxBuffer = o.maxBufferBytes ?? 1024 * 1024;
  const { joinAt, chunks } = o.hub.attach();
  let cursor = o.lastEventId;
  const replaying = cursor !== undefined && joinAt !== undefined && compareCheckpoints(cursor, joinAt) < 0;
  const held: LiveChunk[] = [];
  let heldBytes = 0;
  let closed = false;
  let phase: 'replay' | 'live' = replaying ? 'replay' : 'live';
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(retryFrame(2000));
  const heartbeat = setInterval(() => write(heartbeatFrame), o.heartbeatMs ?? 15000);

  const finish = (frame?: string) => {
    if (closed) return;
    closed = true;
    subscription.unsubscribe();
    clearInterval(heartbeat);
    res.end(frame);
    // A client that does not read would keep the socket (and its buffer) forever: drop it soon after.
    setTimeout(() => res.destroy(), 1000).unref();
  };
  const write = (frame: string | Buffer) => {
    if (closed) return;
    // What is still queued from earlier frames (beyond the kernel's socket buffer) is what the client owes.
    if (res.writableLength > maxBuffer) return finish(errorFrame('SLOW_CLIENT', 'client fell too far behind; reconnect with Last-Event-ID to resume'));
    res.write(frame);
  };
  const send = (chunk: LiveChunk) => {
    if (!isAfterCheckpoint(chunk.last, cursor)) return;
    // Caught up (the usual case): the frame serialised once by the hub. Else only the events past the cursor.
    const frame = chunk.prev === undefined || cursor === undefined || compareCheckpoints(chunk.prev, cursor) >= 0
      ? chunk.frame
      : deltaFrame(chunk.events.filter((e) => isAfterCheckpoint(e.checkpoint, cursor)));
    cursor = chunk.last;
    if (frame) write(frame);
  };

  const subscription = chunks.subscribe({
    next: (chunk) => {
      if (!replaying || phase === 'live') return send(chunk);
      held.push(chunk);
      heldBytes += chunk.frame?.length ?? 0;
      if (heldBytes + res.writableLength > maxBuffer) finish(errorFrame('SLOW_CLIENT', 'client fell too far behind during replay'));
    },
    error: () => finish(errorFrame('LIVE_UNAVAILABLE', 'the live statistics feed stopped; reconnect with Last-Event-ID')),
    complete: () => finish(),
  });
  res.on('close', () => {
    closed = true;
    subscription.unsubscribe();
    clearInterval(heartbeat);
  });
  if (!replaying) return;
  try {
    for await (const { last, frame } of replayFrames(o.store, cursor!, joinAt!)) {
      if (closed) return;
      cursor = last;
      if (frame) write(frame);
      if (res.writableNeedDrain) await new Promise((r) => res.once('drain', r).once('close', r));
    }
  } catch {
    return finish(errorFrame('REPLAY_FAILED', 'could not read the missed deltas; reconnect with Last-Event-ID'));
  }
  if (closed) return;
  if (compareCheckpoints(joinAt!, cursor!) > 0) cursor = joinAt;
  phase = 'live';
  for (const chunk of held.splice(0)) send(chunk);
};
