import type { AppContext } from '../../runtime/appContext.js';
import { serviceKey } from '../../runtime/services.js';
import { createLiveHub, type LiveHub, type LiveHubOptions } from './liveHub.js';

export const liveHubKey = serviceKey<LiveHub>('liveStatisticsHub');

/** The process's one live statistics hub, made on first use and stopped with the other services. */
export const liveHubOf = (ctx: Pick<AppContext, 'store' | 'services'>, options: Omit<LiveHubOptions, 'store'> = {}): LiveHub =>
  ctx.services.of(liveHubKey, () => {
    const hub = createLiveHub({ store: ctx.store, ...options });
    ctx.services.onStop(hub.stop);
    return hub;
  });
