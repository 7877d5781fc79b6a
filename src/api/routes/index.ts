import type { RoutePlugin } from '../app.js';
import type { AppContext } from '../../runtime/appContext.js';
import { recipientRoutes } from './recipients.js';
import { recipientReadRoutes } from './recipientReads.js';
import { vaccinationRoutes } from './vaccinations.js';
import { doseChangeRoutes } from './doseChanges.js';
import { transferRoutes } from './transfers.js';
import { auditRoutes } from './audit.js';
import { importRoutes } from './import.js';
import { exportRoutes } from './export.js';
import { scanRoutes } from './scans.js';
import { statisticsRoutes } from './statistics.js';
import { openDataRoutes } from './opendata.js';
import { searchRoutes } from './search.js';
import { adminRoutes } from './admin.js';
import { proofRoutes } from './proofs.js';
import { documentRoutes } from './documents.js';
import { sessionRoutes } from './session.js';
import { userRoutes } from './users.js';
import { consoleRoutes } from './console.js';

/** Every capability's routes, in one list (health is always on, see app.ts). */
export const allRoutes = (_ctx: AppContext): RoutePlugin[] => [
  recipientRoutes,
  recipientReadRoutes,
  vaccinationRoutes,
  doseChangeRoutes,
  transferRoutes,
  auditRoutes,
  scanRoutes,
  importRoutes,
  exportRoutes,
  statisticsRoutes,
  openDataRoutes,
  searchRoutes,
  adminRoutes,
  proofRoutes,
  documentRoutes,
  sessionRoutes,
  userRoutes,
  consoleRoutes,
];
