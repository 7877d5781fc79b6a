import type { AppContext } from '../../api/context.js';
import { createLiveHub, type LiveHub, type LiveHubOptions } from './liveHub.js';

const KEY = 'liveStatisticsHub';

/**
 * The process's one live statistics hub, made on first use and registered for shutdown through
 * `ctx.services.stoppers` (serve.ts runs them after the server closes).
 */
export const liveHubOf = (ctx: AppContext, options: Omit<LiveHubOptions, 'store'> = {}): LiveHub => {
  const existing = ctx.services[KEY] as LiveHub | undefined;
  if (existing) return existing;
  const hub = createLiveHub({ store: ctx.store, ...options });
  ctx.services[KEY] = hub;
  const stoppers = ((ctx.services.stoppers as (() => Promise<void>)[] | undefined) ??= []);
  stoppers.push(hub.stop);
  return hub;
};
