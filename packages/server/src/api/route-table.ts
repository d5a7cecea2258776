import type { ApiRoute } from './route.ts';
import { ciScanRoutes } from './routes/ci-scan-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { handlingRoutes } from './routes/handling-routes.ts';
import { identityRoutes } from './routes/identity-routes.ts';
import { imageRoutes } from './routes/image-routes.ts';
import { imageStopRoutes } from './routes/image-stop-routes.ts';
import { operationsRoutes } from './routes/operations-routes.ts';
import { overviewRoutes } from './routes/overview-routes.ts';
import { policyRoutes } from './routes/policy-routes.ts';
import { projectRoutes } from './routes/project-routes.ts';
import { registryRoutes } from './routes/registry-routes.ts';
import { registryEventRoutes } from './routes/registry-event-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';
import { riskRoutes } from './routes/risk-routes.ts';
import { sbomRoutes } from './routes/sbom-routes.ts';
import { scanSettingsRoutes } from './routes/scan-settings-routes.ts';
import { scanTaskRoutes } from './routes/scan-task-routes.ts';
import { syncTaskRoutes } from './routes/sync-task-routes.ts';
import { usageRoutes } from './routes/usage-routes.ts';
import { vulnerabilityDatabaseRoutes } from './routes/vulnerability-database-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

/**
 * Every route of the API: one line per route module. `buildApi` registers exactly these (and the
 * documentation page's own routes under `/api/v1/docs`); a route reaching fastify any other way
 * stops the start.
 */
export const routeModules: readonly (readonly ApiRoute[])[] = [
  operationsRoutes,
  projectRoutes,
  identityRoutes,
  registryRoutes,
  registryEventRoutes,
  syncTaskRoutes,
  imageRoutes,
  imageStopRoutes,
  reportRoutes,
  sbomRoutes,
  scanTaskRoutes,
  ciScanRoutes,
  policyRoutes,
  handlingRoutes,
  scanSettingsRoutes,
  riskRoutes,
  exportRoutes,
  usageRoutes,
  vulnerabilityDatabaseRoutes,
  overviewRoutes,
  webhookRoutes,
];

/** The route table: method, URL and access rule (`permission` or `access`) of every route. */
export const apiRoutes: readonly ApiRoute[] = routeModules.flat();
