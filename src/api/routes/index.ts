import type { RoutePlugin } from '../app.js';
import type { AppContext } from '../context.js';

/** Every capability's routes, in one list (health is always on, see app.ts). */
export const allRoutes = (_ctx: AppContext): RoutePlugin[] => [];
