import type {
  ConnectionInput,
  ConnectivityResult,
  DrydockService,
  Estimate,
  MonthlyUsage,
  PolicyInput,
  Project,
  RegistryConnection,
  ScanPolicy,
  ScanRequest,
  ScanTask,
  ScanTaskStatus,
  ScanTaskType,
  SyncTask,
  TaskImage,
} from '@drydock/server';

/**
 * What the service commands ask of the service, whichever way they reach it: a local database
 * opened in this process (`LocalServiceClient`) or a running service's HTTP API with a token
 * (`ApiServiceClient`). Both answer with the same values, so a command prints the same table or
 * JSON either way. Every project-scoped call takes the project's id, as the service and the API do.
 */
export interface ServiceClient {
  /** The project named `name`; without a name, the project the commands use by default. */
  project(name: string | undefined): Promise<Project>;

  listRegistries(projectId: string): Promise<readonly RegistryConnection[]>;
  /** The connection with this name (or id); `not_found` when there is none. */
  findRegistry(projectId: string, nameOrId: string): Promise<RegistryConnection>;
  getRegistry(projectId: string, registryId: string): Promise<RegistryConnection>;
  addRegistry(projectId: string, input: ConnectionInput): Promise<RegistryConnection>;
  /** Tests the connection and records the outcome as its status. */
  testRegistry(projectId: string, registryId: string): Promise<ConnectivityResult>;
  removeRegistry(projectId: string, registryId: string): Promise<void>;

  /** Syncs the image list of the given connections (empty: all) and answers once the sync has ended. */
  sync(projectId: string, registryIds: readonly string[]): Promise<SyncTask>;
  listSyncs(projectId: string): Promise<readonly SyncTask[]>;

  images(projectId: string, query: ImageQuery): Promise<ImageList>;

  estimate(projectId: string, request: ScanRequest): Promise<Estimate>;
  /** Needs `estimateId` or `acceptFee` in the request, else `estimate_required`. */
  startScan(projectId: string, request: ScanRequest): Promise<TaskView>;
  listTasks(projectId: string, filter: TaskQuery): Promise<readonly TaskView[]>;
  getTask(projectId: string, taskId: string): Promise<TaskView>;
  /** The one task whose id starts with `idOrPrefix`; `not_found` when none or several do. */
  findTask(projectId: string, idOrPrefix: string): Promise<TaskView>;
  taskImages(projectId: string, taskId: string, failedOnly: boolean): Promise<readonly TaskImage[]>;
  stopTask(projectId: string, taskId: string): Promise<TaskView>;

  /** undefined while the project has no scheduled policy. */
  getPolicy(projectId: string): Promise<ScanPolicy | undefined>;
  setPolicy(projectId: string, input: PolicySettings): Promise<ScanPolicy>;
  /** Turns scheduled scans off and keeps the settings; `not_found` while there is no policy. */
  disablePolicy(projectId: string): Promise<void>;
  setTimeZone(projectId: string, timeZone: string): Promise<void>;

  /** A month's metered scans (`YYYY-MM`; undefined: the current UTC month). */
  usage(projectId: string, month: string | undefined): Promise<MonthlyUsage>;

  /**
   * Lets queued work move while a command waits for it: a service opened in this process runs its
   * dispatcher once; a running service does that on its own, so the API client does nothing.
   */
  advance(): Promise<void>;
  close(): Promise<void>;
}

/** A row of the repository image list. */
export type RepositoryImage = Awaited<ReturnType<DrydockService['images']>>['images'][number];

/** A page of the image list: `total` counts every image the query matches. */
export interface ImageList {
  readonly total: number;
  readonly images: readonly RepositoryImage[];
}

/** The image list filters the commands use; absent fields do not filter. */
export interface ImageQuery {
  /** Substring of `repository:tag`. */
  readonly name?: string;
  readonly registryIds?: readonly string[];
  readonly status?: readonly string[];
  readonly limit: number;
}

export interface TaskQuery {
  readonly type?: ScanTaskType;
  readonly status?: readonly ScanTaskStatus[];
  /** Substring of the name. */
  readonly name?: string;
  /** At most this many, newest first (default 100). */
  readonly limit?: number;
}

/**
 * The policy's settings as the user typed them: risk type names are checked where every other
 * setting is, by the service (an unknown one is `invalid_request` in either mode).
 */
export type PolicySettings = Omit<PolicyInput, 'riskTypes'> & { readonly riskTypes?: readonly string[] };

/** A scan task as both modes show it (the API returns every field of the service's task). */
export type TaskView = ScanTask;
