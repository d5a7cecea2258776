import { readFile } from 'node:fs/promises';
import type { ConnectionInput, RegistryConnection } from '@drydock/server';
import { formatTime, printJsonOrText, printRows, type OutputFormat } from './output.ts';
import { withService, type ServiceCommandOptions } from './service-context.ts';

export interface RegistryAddOptions extends ServiceCommandOptions {
  readonly type: ConnectionInput['type'];
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly passwordStdin?: boolean;
  readonly token?: string;
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
  if (options.token) return { kind: 'bearer', token: options.token };
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
  return withService(options, async (service, project) => {
    const created = await service.connections.create(project.id, input);
    const connection =
      options.test === false
        ? created
        : (await service.connections.test(project.id, created.id, AbortSignal.timeout(60_000)),
          await service.connections.get(project.id, created.id));
    printRows(options.format, connection, header, [connectionRow(connection)]);
    return connection.status === 'failed' ? 1 : 0;
  });
}

export async function runRegistryList(
  options: ServiceCommandOptions & { readonly format: OutputFormat },
): Promise<number> {
  return withService(options, async (service, project) => {
    const connections = await service.connections.list(project.id);
    printRows(options.format, connections, header, connections.map(connectionRow));
    return 0;
  });
}

export async function runRegistryTest(
  name: string,
  options: ServiceCommandOptions & { readonly format: OutputFormat },
): Promise<number> {
  return withService(options, async (service, project) => {
    const connection = await service.connections.find(project.id, name);
    const result = await service.connections.test(project.id, connection.id, AbortSignal.timeout(60_000));
    printJsonOrText(
      options.format,
      result,
      result.ok ? `ok: ${result.detail}` : `failed [${result.code}] ${result.message}`,
    );
    return result.ok ? 0 : 1;
  });
}

export async function runRegistryRemove(name: string, options: ServiceCommandOptions): Promise<number> {
  return withService(options, async (service, project) => {
    const connection = await service.connections.find(project.id, name);
    await service.connections.remove(project.id, connection.id);
    process.stdout.write(`removed ${connection.name}\n`);
    return 0;
  });
}
