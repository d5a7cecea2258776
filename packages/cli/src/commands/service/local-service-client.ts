import { userInfo } from 'node:os';
import {
  AuditLog,
  imageScanStatuses,
  monthOf,
  ServiceError,
  type AuditChange,
  type ConnectionInput,
  type ConnectivityResult,
  type DrydockService,
  type Estimate,
  type ImageScanStatus,
  type MonthlyUsage,
  type Project,
  type RegistryConnection,
  type ScanPolicy,
  type ScanRequest,
  type SyncTask,
  type TaskImage,
} from '@drydock/server';
import type {
  ImageList,
  ImageQuery,
  PolicySettings,
  ServiceClient,
  TaskQuery,
  TaskView,
} from './service-client.ts';

/** As long as the API gives a connection test. */
const connectionTestTimeoutMs = 60_000;

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

function isImageScanStatus(value: string): value is ImageScanStatus {
  return (imageScanStatuses as readonly string[]).includes(value);
}

/** The statuses of an image query, each one a status the image list knows. */
function statusesOf(names: readonly string[]): ImageScanStatus[] {
  const unknown = names.filter((name) => !isImageScanStatus(name));
  if (unknown.length > 0)
    throw new ServiceError('invalid_request', 'invalid image filter', {
      issues: [
        {
          path: 'status',
          message: `unknown ${unknown.join(', ')} (choose from ${imageScanStatuses.join(', ')})`,
        },
      ],
    });
  return names.filter(isImageScanStatus);
}

/**
 * The service commands on a service opened in this process over its database. The caller opened
 * the service; `close` closes it.
 */
export class LocalServiceClient implements ServiceClient {
  readonly #service: DrydockService;
  readonly #auditLog: AuditLog;
  /** Local changes are audited too, as the operating-system user on this machine. */
  readonly #actor = { userId: null, userName: `local:${localUserName()}`, address: 'local' } as const;

  constructor(service: DrydockService) {
    this.#service = service;
    this.#auditLog = new AuditLog(service.db, service.clock);
  }

  async #audited<T>(change: (result: T) => AuditChange, run: () => Promise<T>): Promise<T> {
    const result = await run();
    await this.#auditLog.record(this.#actor, change(result));
    return result;
  }

  project(name: string | undefined): Promise<Project> {
    return name ? this.#service.projects.byName(name) : this.#service.projects.ensureDefault();
  }

  listRegistries(projectId: string): Promise<readonly RegistryConnection[]> {
    return this.#service.connections.list(projectId);
  }

  findRegistry(projectId: string, nameOrId: string): Promise<RegistryConnection> {
    return this.#service.connections.find(projectId, nameOrId);
  }

  getRegistry(projectId: string, registryId: string): Promise<RegistryConnection> {
    return this.#service.connections.get(projectId, registryId);
  }

  addRegistry(projectId: string, input: ConnectionInput): Promise<RegistryConnection> {
    return this.#audited(
      (connection) => ({
        projectId,
        action: 'registry.create',
        objectType: 'registry',
        objectId: connection.id,
        details: { name: connection.name, type: connection.type, url: connection.url },
      }),
      () => this.#service.connections.create(projectId, input),
    );
  }

  testRegistry(projectId: string, registryId: string): Promise<ConnectivityResult> {
    return this.#service.connections.test(
      projectId,
      registryId,
      AbortSignal.timeout(connectionTestTimeoutMs),
    );
  }

  removeRegistry(projectId: string, registryId: string): Promise<void> {
    return this.#audited(
      () => ({ projectId, action: 'registry.delete', objectType: 'registry', objectId: registryId }),
      () => this.#service.connections.remove(projectId, registryId),
    );
  }

  sync(projectId: string, registryIds: readonly string[]): Promise<SyncTask> {
    return this.#audited(
      (task) => ({ projectId, action: 'sync_task.start', objectType: 'sync_task', objectId: task.id }),
      () =>
        this.#service.sync.sync(projectId, {
          trigger: 'manual',
          ...(registryIds.length > 0 ? { connectionIds: [...registryIds] } : {}),
        }),
    );
  }

  listSyncs(projectId: string): Promise<readonly SyncTask[]> {
    return this.#service.sync.list(projectId);
  }

  async images(projectId: string, query: ImageQuery): Promise<ImageList> {
    const page = await this.#service.images(
      projectId,
      {
        ...(query.name ? { name: query.name } : {}),
        ...(query.registryIds?.length ? { connectionIds: [...query.registryIds] } : {}),
        ...(query.status?.length ? { status: statusesOf(query.status) } : {}),
      },
      { limit: query.limit },
    );
    return { total: page.total, images: page.images };
  }

  estimate(projectId: string, request: ScanRequest): Promise<Estimate> {
    return this.#service.tasks.estimate(projectId, request);
  }

  async startScan(projectId: string, request: ScanRequest): Promise<TaskView> {
    const task = await this.#audited(
      (started) => ({
        projectId,
        action: 'scan_task.start',
        objectType: 'scan_task',
        objectId: started.id,
        details: {
          images: started.counts.total,
          riskTypes: started.riskTypes,
          speedLimit: started.speedLimit,
        },
      }),
      () => this.#service.tasks.start(projectId, request, this.#actor.userName),
    );
    return task;
  }

  async listTasks(projectId: string, filter: TaskQuery): Promise<readonly TaskView[]> {
    const tasks = await this.#service.tasks.list(projectId, {
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.status?.length ? { status: filter.status } : {}),
      ...(filter.name ? { name: filter.name } : {}),
      ...(filter.limit ? { limit: filter.limit } : {}),
    });
    return tasks;
  }

  async getTask(projectId: string, taskId: string): Promise<TaskView> {
    return await this.#service.tasks.get(projectId, taskId);
  }

  async findTask(projectId: string, idOrPrefix: string): Promise<TaskView> {
    return await this.#service.tasks.find(projectId, idOrPrefix);
  }

  async taskImages(projectId: string, taskId: string, failedOnly: boolean): Promise<readonly TaskImage[]> {
    // The task's own lookup is project-scoped; its image rows are read only after it.
    const task = await this.#service.tasks.get(projectId, taskId);
    return this.#service.tasks.images(task.id, { failedOnly });
  }

  async stopTask(projectId: string, taskId: string): Promise<TaskView> {
    const task = await this.#audited(
      () => ({ projectId, action: 'scan_task.stop', objectType: 'scan_task', objectId: taskId }),
      () => this.#service.tasks.stop(projectId, taskId),
    );
    return task;
  }

  getPolicy(projectId: string): Promise<ScanPolicy | undefined> {
    return this.#service.policies.get(projectId);
  }

  setPolicy(projectId: string, input: PolicySettings): Promise<ScanPolicy> {
    return this.#audited(
      () => ({
        projectId,
        action: 'policy.set',
        objectType: 'policy',
        objectId: projectId,
        details: { ...input },
      }),
      () => this.#service.policies.set(projectId, input),
    );
  }

  /** As the API does it: the policy stays with its settings, disabled. */
  async disablePolicy(projectId: string): Promise<void> {
    const policy = await this.#service.policies.get(projectId);
    if (!policy)
      throw new ServiceError('not_found', 'the project has no scheduled scan policy', {
        what: 'scan policy',
        id: projectId,
      });
    await this.setPolicy(projectId, {
      enabled: false,
      periodDays: policy.periodDays,
      windowStart: policy.windowStart,
      windowEnd: policy.windowEnd,
      riskTypes: [...policy.riskTypes],
      speedLimit: policy.speedLimit,
      updatedWithinDays: policy.updatedWithinDays,
      connectionIds: [...policy.connectionIds],
    });
  }

  setTimeZone(projectId: string, timeZone: string): Promise<void> {
    return this.#audited(
      () => ({
        projectId,
        action: 'project.update',
        objectType: 'project',
        objectId: projectId,
        details: { timeZone },
      }),
      () => this.#service.projects.setTimeZone(projectId, timeZone),
    );
  }

  usage(projectId: string, month: string | undefined): Promise<MonthlyUsage> {
    const service = this.#service;
    return service.meter.usage(service.db, projectId, month ?? monthOf(service.clock.now()));
  }

  async advance(): Promise<void> {
    await this.#service.tick();
  }

  close(): Promise<void> {
    return this.#service.close();
  }
}
