import type { Actor, RecordedEvent } from '../eventstore/contract.js';
import { DomainError, recipientStream } from '../domain/index.js';
import { loadRecipient } from '../ledger/index.js';
import { EVIDENCE_FORMAT, type EvidenceBundle } from '../proofs/evidenceBundle.js';
import { ProofError } from '../proofs/proofErrors.js';
import { proofsService } from '../proofs/proofsService.js';
import { recordAccess } from '../personal/accessLog.js';
import type { AppContext } from '../runtime/appContext.js';
import { ledgerOf } from './ledgerOf.js';
import { statusView, withoutMyNumber } from './routes/recipientReads.js';

const notFound = () => new DomainError('RECIPIENT_NOT_FOUND', 'no recipient is registered under this municipality and coupon');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the evidence bundle of one recipient stream (route and `vrs audit evidence`): events up to `asOf` as
 * stored and as the auditor reads them, each proven in the latest signed checkpoint, which is signed on the spot
 * when the log has the events but no checkpoint covers them yet. Recorded in the access log.
 */
export const evidenceOf = async (ctx: AppContext, municipality: string, coupon: string, asOf: Date | undefined, actor: Actor, endpoint: string, waitMs = 5000): Promise<EvidenceBundle> => {
  const stream = recipientStream(municipality, coupon);
  const ledger = ledgerOf(ctx);
  const proofs = proofsService(ctx);
  await proofs.ready();
  const opened = await loadRecipient(ledger, stream);
  if (opened.version === 0n) throw notFound();
  const stored: RecordedEvent[] = [];
  for await (const e of ctx.store.readStream(stream)) stored.push(e);
  const cut = (e: RecordedEvent) => !asOf || e.recordedAt.getTime() <= asOf.getTime();
  const events = stored.filter((e, i) => cut(e) && i < opened.events.length);
  const state = asOf ? await loadRecipient(ledger, stream, asOf) : opened;

  // The log's tree and a checkpoint covering every event: wait for the projection, sign if need be.
  const deadline = Date.now() + waitMs;
  let indexes = new Map<bigint, bigint>();
  let checkpoint = await proofs.latest('events');
  for (;;) {
    indexes = await proofs.leafIndexes('events', events.map((e) => e.position));
    const highest = [...indexes.values()].reduce((a, b) => (b > a ? b : a), -1n);
    if (indexes.size === events.length && checkpoint && highest < checkpoint.size) break;
    if (indexes.size === events.length) checkpoint = (await proofs.signLog('events')) ?? (await proofs.latest('events'));
    if (checkpoint && indexes.size === events.length && highest < checkpoint.size) break;
    if (Date.now() > deadline) throw new ProofError('LOG_BEHIND', 'the transparency log has not reached every event of this record yet: try again in a few seconds');
    await sleep(200);
  }
  const cp = checkpoint!;
  const leafOf = (e: RecordedEvent) => indexes.get(e.position)!;
  const paths = await proofs.inclusionPaths('events', events.map(leafOf), cp.size);
  await recordAccess(ctx.pool, actor, [stream], endpoint);
  return {
    format: EVIDENCE_FORMAT,
    createdAt: new Date().toISOString(),
    stream,
    asOf: asOf?.toISOString() ?? null,
    log: { origin: proofs.origin('events'), verifierKey: await proofs.verifierKey('events'), checkpoint: cp.note },
    events: events.map((e, i) => {
      const view = opened.events[i];
      return {
        stream: e.stream,
        version: e.version.toString(),
        position: e.position.toString(),
        type: e.type,
        recordedAt: e.recordedAt.toISOString(),
        stored: { data: e.data, metadata: e.metadata },
        hash: e.hash,
        leafIndex: leafOf(e).toString(),
        inclusionPath: paths[i],
        view: { actor: view.metadata.actor ?? null, reason: typeof view.data.reason === 'string' ? view.data.reason : undefined, data: withoutMyNumber(view.data) },
      };
    }),
    state: state.state.kind === 'registered' ? statusView(state) : null,
  };
};
