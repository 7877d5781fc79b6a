import type { AppContext } from '../runtime/appContext.js';
import { blindIndexKey } from '../personal/blindIndex.js';
import type { ProjectionDefinition } from './projection.js';
import { createRecipientStatusProjection } from './recipientStatus/recipientStatusProjection.js';
import { statisticsProjection } from './statistics/statisticsProjection.js';
import { ledgerLogProjection } from '../proofs/ledgerLogProjection.js';
import { scanStatusProjection } from '../scans/scanStatusProjection.js';

/** Every read model the runner keeps and `vrs rebuild` knows, by name. */
export const projectionsOf = (ctx: Pick<AppContext, 'dataKeys' | 'keys'>): ProjectionDefinition[] => [
  createRecipientStatusProjection(ctx.dataKeys.getMany, blindIndexKey(ctx.keys.hmac)),
  statisticsProjection,
  ledgerLogProjection,
  scanStatusProjection,
];
