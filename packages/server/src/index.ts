/**
 * The service's public API: the CLI (`drydock serve`, `drydock worker` and the operator commands)
 * and the HTTP API use only what is exported here.
 */
export { DrydockService, type ServiceOptions } from './service.ts';
export { ManualClock, systemClock, type Clock } from './clock.ts';
export { ServiceError, isServiceError, serviceErrorCodes, type ServiceErrorCode } from './service-error.ts';
export { storeLocationFromEnvironment, type StoreLocation } from './store/store.ts';
export type { Project } from './projects/project-service.ts';
export type { RegistryConnection, ConnectionInput } from './registries/connection-service.ts';
export type { SyncTask } from './inventory/sync-service.ts';
export type { ScanTask, Estimate, TaskImage, TaskCounts, ScanRequest } from './tasks/scan-task-service.ts';
export type { ScanScope, ImageFilter } from './tasks/scan-scope.ts';
export type { ScanPolicy, PolicyInput } from './schedule/policy-service.ts';
export type { MonthlyUsage } from './metering/meter.ts';
export { defaultPriceList, formatMoney, monthOf, type PriceList } from './metering/pricing.ts';
export { listerFactory, type ListerFactory } from './registries/lister-factory.ts';
export type { ConnectivityResult } from './registries/listing/registry-lister.ts';
export * from './store/schema.ts';
export * from './api/index.ts';
export { AuditLog } from './access/audit-log.ts';
export type { AuditActor, AuditChange } from './access/principal.ts';
