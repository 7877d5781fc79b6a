import type { LedgerDeps } from '../ledger/index.js';
import type { AppContext } from '../runtime/appContext.js';

export const ledgerOf = (ctx: AppContext): LedgerDeps => ({ store: ctx.store, dataKeys: ctx.dataKeys, hmacKey: ctx.keys.hmac });
