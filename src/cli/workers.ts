import type { FastifyBaseLogger } from 'fastify';
import type { Runtime } from '../runtime/openRuntime.js';
import { projectionsService } from '../projections/projectionsService.js';
import { proofsService } from '../proofs/proofsService.js';

/**
 * The background workers of a ledger: the projection runner (recipient_status, statistics, the ledger's Merkle
 * log) and, with the transparency log on, the checkpoint signer that also follows the access log's tree. Run by
 * `vrs serve` with VRS_PROJECTIONS=on, and by `vrs project` (a projector process beside API nodes that run with it
 * off): off the API's event loop, a dose costs the API process the command alone.
 */
export const startWorkers = async (runtime: Runtime, log: FastifyBaseLogger, options: { lingerMs?: number } = {}) => {
  await projectionsService(runtime).start({ log, ...options });
  if (runtime.config.VRS_TRANSPARENCY_LOG !== 'on') return;
  // The transparency logs' checkpoints, signed at least once a second while they grow (and the access log's tree).
  const proofs = proofsService(runtime);
  await proofs.ready();
  runtime.readiness.push(async () => {
    const refused = [...proofs.refused()];
    return { name: 'transparency-log', ok: refused.length === 0, detail: refused.length ? Object.fromEntries(refused) : undefined };
  });
  proofs.start(1000, (e) => log.error({ err: (e as Error).message }, 'signing checkpoints failed'));
};
