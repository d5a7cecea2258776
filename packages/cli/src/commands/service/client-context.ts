import type { Project } from '@drydock/server';
import { RemoteError } from './remote-error.ts';
import { serverConnectionOf, type ServerConnection, type ServerOptions } from './server-options.ts';
import type { ServiceClient } from './service-client.ts';
import type { ServiceCommandOptions } from './service-context.ts';

/** Options of the commands that work on a local database or a running service alike. */
export interface ClientCommandOptions extends ServiceCommandOptions, ServerOptions {}

/** What only a service opened in this process uses; a running service has its own. */
const localOnly = [
  ['dataDir', '--data-dir'],
  ['db', '--db'],
  ['malwareDb', '--malware-db'],
  ['clamd', '--clamd'],
] as const satisfies readonly (readonly [keyof ServiceCommandOptions, string])[];

async function apiClient(
  connection: ServerConnection,
  options: ClientCommandOptions,
): Promise<ServiceClient> {
  const given = localOnly.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  if (given.length > 0)
    throw new RemoteError(
      'server_options',
      `${given.join(', ')} ${given.length > 1 ? 'apply' : 'applies'} to a local database, not to the service at ${connection.baseUrl}`,
    );
  const { ApiServiceClient } = await import('./api-service-client.ts');
  return new ApiServiceClient(connection);
}

async function localClient(
  options: ClientCommandOptions,
  run: { readonly workers?: number } | undefined,
): Promise<ServiceClient> {
  const [{ openService }, { LocalServiceClient }] = await Promise.all([
    import('./service-context.ts'),
    import('./local-service-client.ts'),
  ]);
  return new LocalServiceClient(await openService(options, run));
}

/**
 * Runs `body` with the client the options choose (the API of `--server` or DRYDOCK_SERVER with its
 * token, else the local database) and the project of `--project`, and closes the client whatever
 * happens. Each mode loads only its own code, so a call to a server does not load the database.
 * `run.workers` > 0 runs scans in this process (local mode only; a server has its own workers).
 */
export async function withClient<T>(
  options: ClientCommandOptions,
  body: (client: ServiceClient, project: Project) => Promise<T>,
  run?: { readonly workers?: number },
): Promise<T> {
  const connection = await serverConnectionOf(options);
  const client = connection ? await apiClient(connection, options) : await localClient(options, run);
  try {
    return await body(client, await client.project(options.project));
  } finally {
    await client.close();
  }
}
