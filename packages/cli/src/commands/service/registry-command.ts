import { readFile } from 'node:fs/promises';
import type { ConnectionInput, RegistryConnection } from '@drydock/server';
import { withClient, type ClientCommandOptions } from './client-context.ts';
import { formatTime, printJsonOrText, printRows, type OutputFormat } from './output.ts';

export interface RegistryAddOptions extends ClientCommandOptions {
  readonly type: ConnectionInput['type'];
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly passwordStdin?: boolean;
  /** The registry's bearer token (`--token` is the Drydock API's, with `--server`). */
  readonly registryToken?: string;
  readonly include: string[];
  readonly exclude: string[];
  readonly namespace: string[];
  readonly caCert?: string;
  readonly skipTlsVerify?: boolean;
  readonly credentialExpires?: string;
  readonly maxPulls?: string;
  readonly test?: boolean;
  readonly format: OutputFormat;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function credentialsOf(options: RegistryAddOptions): Promise<ConnectionInput['credentials']> {
  if (options.registryToken) return { kind: 'bearer', token: options.registryToken };
  const password = options.passwordStdin
    ? await readStdin()
    : (options.password ?? process.env['DRYDOCK_PASSWORD']);
  if (options.username && password) return { kind: 'basic', username: options.username, password };
  return { kind: 'anonymous' };
}

function connectionRow(connection: RegistryConnection) {
  return [
    connection.name,
    connection.type,
    connection.url,
    connection.hasCredentials ? 'yes' : 'no',
    connection.status + (connection.statusReason ? ` (${connection.statusReason})` : ''),
    formatTime(connection.checkedAt),
    connection.id,
  ];
}

const header = ['name', 'type', 'url', 'credentials', 'status', 'checked', 'id'];

export async function runRegistryAdd(name: string, options: RegistryAddOptions): Promise<number> {
  const input: ConnectionInput = {
    name,
    type: options.type,
    url: options.url,
    credentials: await credentialsOf(options),
    include: options.include,
    exclude: options.exclude,
    namespaces: options.namespace,
    ...(options.caCert ? { caPem: await readFile(options.caCert, 'utf8') } : {}),
    ...(options.skipTlsVerify ? { skipTlsVerify: true } : {}),
    ...(options.credentialExpires ? { credentialExpiresAt: options.credentialExpires } : {}),
    ...(options.maxPulls ? { maxConcurrentPulls: Number(options.maxPulls) } : {}),
  };
  return withClient(options, async (client, project) => {
    const created = await client.addRegistry(project.id, input);
    const connection =
      options.test === false
        ? created
        : (await client.testRegistry(project.id, created.id),
          await client.getRegistry(project.id, created.id));
    printRows(options.format, connection, header, [connectionRow(connection)]);
    return connection.status === 'failed' ? 1 : 0;
  });
}

export async function runRegistryList(
  options: ClientCommandOptions & { readonly format: OutputFormat },
): Promise<number> {
  return withClient(options, async (client, project) => {
    const connections = await client.listRegistries(project.id);
    printRows(options.format, connections, header, connections.map(connectionRow));
    return 0;
  });
}

export async function runRegistryTest(
  name: string,
  options: ClientCommandOptions & { readonly format: OutputFormat },
): Promise<number> {
  return withClient(options, async (client, project) => {
    const connection = await client.findRegistry(project.id, name);
    const result = await client.testRegistry(project.id, connection.id);
    printJsonOrText(
      options.format,
      result,
      result.ok ? `ok: ${result.detail}` : `failed [${result.code}] ${result.message}`,
    );
    return result.ok ? 0 : 1;
  });
}

export async function runRegistryRemove(name: string, options: ClientCommandOptions): Promise<number> {
  return withClient(options, async (client, project) => {
    const connection = await client.findRegistry(project.id, name);
    await client.removeRegistry(project.id, connection.id);
    process.stdout.write(`removed ${connection.name}\n`);
    return 0;
  });
}
