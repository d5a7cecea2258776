import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { RegistryCredentials } from '@drydock/engine';
import type { Clock } from '../clock.ts';
import { unindexImages } from '../results/finding-index.ts';
import { ServiceError, notFound, parseRequest } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import {
  registryTypes,
  type ConnectionStatus,
  type Database,
  type RegistryConnectionTable,
  type RegistryType,
} from '../store/schema.ts';
import type { CredentialVault } from './credential-vault.ts';
import type { ConnectionConfig } from './listing/connection-config.ts';
import type { ConnectivityResult } from './listing/registry-lister.ts';
import type { ListerFactory } from './lister-factory.ts';

const credentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  z.object({ kind: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1) }),
]);

const patternList = z.array(z.string().min(1).max(512)).max(1000);

export const connectionInputSchema = z.object({
  name: z.string().trim().min(1).max(128),
  type: z.enum(registryTypes),
  url: z.url({ protocol: /^https?$/ }),
  credentials: credentialsSchema.optional(),
  caPem: z.string().includes('-----BEGIN CERTIFICATE-----').optional(),
  skipTlsVerify: z.boolean().optional(),
  include: patternList.optional(),
  exclude: patternList.optional(),
  namespaces: z.array(z.string().min(1).max(255)).max(1000).optional(),
  credentialExpiresAt: z.coerce.date().optional(),
  maxConcurrentPulls: z.number().int().min(1).max(64).optional(),
});
export type ConnectionInput = z.input<typeof connectionInputSchema>;

/** A connection as the service shows it: never the credentials, only whether there are any. */
export interface RegistryConnection {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: RegistryType;
  readonly url: string;
  readonly hasCredentials: boolean;
  readonly caPem: string | null;
  readonly skipTlsVerify: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly namespaces: readonly string[];
  readonly credentialExpiresAt: Date | null;
  readonly maxConcurrentPulls: number;
  readonly status: ConnectionStatus;
  readonly statusReason: string | null;
  readonly statusMessage: string | null;
  readonly checkedAt: Date | null;
}

function parseInput(input: unknown) {
  return parseRequest(connectionInputSchema, input, 'registry connection');
}

/** Registry connections: stored with sealed credentials, tested, and opened for listing and pulls. */
export class ConnectionService {
  private readonly db: Kysely<Database>;
  private readonly vault: CredentialVault;
  private readonly listers: ListerFactory;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, vault: CredentialVault, listers: ListerFactory, clock: Clock) {
    this.db = db;
    this.vault = vault;
    this.listers = listers;
    this.clock = clock;
  }

  async create(projectId: string, input: unknown): Promise<RegistryConnection> {
    const data = parseInput(input);
    const id = randomUUID();
    const now = this.clock.now();
    const credentials = data.credentials ?? { kind: 'anonymous' as const };
    await this.#assertNameFree(projectId, data.name, undefined);
    await this.db
      .insertInto('registryConnection')
      .values({
        id,
        projectId,
        name: data.name,
        type: data.type,
        url: data.url.replace(/\/+$/, ''),
        credentialsSealed:
          credentials.kind === 'anonymous' ? null : this.vault.seal(JSON.stringify(credentials), id),
        caPem: data.caPem ?? null,
        skipTlsVerify: data.skipTlsVerify ?? false,
        include: toJson(data.include ?? []),
        exclude: toJson(data.exclude ?? []),
        namespaces: toJson(data.namespaces ?? []),
        credentialExpiresAt: data.credentialExpiresAt ?? null,
        maxConcurrentPulls: data.maxConcurrentPulls ?? 4,
        status: 'unknown',
        statusReason: null,
        statusMessage: null,
        checkedAt: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    return this.get(projectId, id);
  }

  /** Replaces the given fields; credentials are replaced only when given. */
  async update(projectId: string, id: string, input: unknown): Promise<RegistryConnection> {
    const current = await this.get(projectId, id);
    const data = parseInput({
      name: current.name,
      type: current.type,
      url: current.url,
      ...(typeof input === 'object' && input !== null ? input : {}),
    });
    if (data.name !== current.name) await this.#assertNameFree(projectId, data.name, id);
    await this.db
      .updateTable('registryConnection')
      .set({
        name: data.name,
        type: data.type,
        url: data.url.replace(/\/+$/, ''),
        ...(data.credentials
          ? {
              credentialsSealed:
                data.credentials.kind === 'anonymous'
                  ? null
                  : this.vault.seal(JSON.stringify(data.credentials), id),
            }
          : {}),
        ...(data.caPem !== undefined ? { caPem: data.caPem } : {}),
        ...(data.skipTlsVerify !== undefined ? { skipTlsVerify: data.skipTlsVerify } : {}),
        ...(data.include ? { include: toJson(data.include) } : {}),
        ...(data.exclude ? { exclude: toJson(data.exclude) } : {}),
        ...(data.namespaces ? { namespaces: toJson(data.namespaces) } : {}),
        ...(data.credentialExpiresAt !== undefined ? { credentialExpiresAt: data.credentialExpiresAt } : {}),
        ...(data.maxConcurrentPulls !== undefined ? { maxConcurrentPulls: data.maxConcurrentPulls } : {}),
        updatedAt: this.clock.now(),
      })
      .where('id', '=', id)
      .execute();
    return this.get(projectId, id);
  }

  /**
   * Removes the connection with its images and their results. Its images are first marked gone
   * and let go of by the finding index (results/finding-index.ts), in a transaction of their own
   * that takes the index's lock last; a scan finishing in between finds its image gone and is
   * not counted.
   */
  async remove(projectId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const images = await trx
        .updateTable('repositoryImage')
        .set({ deletedAt: this.clock.now() })
        .where('projectId', '=', projectId)
        .where('connectionId', '=', id)
        .returning('id')
        .execute();
      await unindexImages(
        trx,
        projectId,
        images.map((image) => image.id),
      );
    });
    const result = await this.db
      .deleteFrom('registryConnection')
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound('registry connection', id);
  }

  async list(projectId: string): Promise<RegistryConnection[]> {
    const rows = await this.db
      .selectFrom('registryConnection')
      .selectAll()
      .where('projectId', '=', projectId)
      .orderBy('name')
      .execute();
    return rows.map((row) => this.#view(row));
  }

  async get(projectId: string, id: string): Promise<RegistryConnection> {
    const row = await this.db
      .selectFrom('registryConnection')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('registry connection', id);
    return this.#view(row);
  }

  /** By name or id, for the command line. */
  async find(projectId: string, nameOrId: string): Promise<RegistryConnection> {
    const row = await this.db
      .selectFrom('registryConnection')
      .selectAll()
      .where('projectId', '=', projectId)
      .where((eb) => eb.or([eb('id', '=', nameOrId), eb('name', '=', nameOrId)]))
      .executeTakeFirst();
    if (!row) throw notFound('registry connection', nameOrId);
    return this.#view(row);
  }

  /** Everything needed to reach the registry, credentials unsealed. Service-internal: never returned. */
  async openConfig(id: string): Promise<ConnectionConfig & { readonly credentialExpiresAt: Date | null }> {
    const row = await this.db
      .selectFrom('registryConnection')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('registry connection', id);
    const credentials: RegistryCredentials = row.credentialsSealed
      ? credentialsSchema.parse(JSON.parse(this.vault.open(row.credentialsSealed, id)))
      : { kind: 'anonymous' };
    return {
      type: row.type,
      url: row.url,
      credentials,
      ...(row.caPem ? { caPem: row.caPem } : {}),
      skipTlsVerify: row.skipTlsVerify,
      include: row.include,
      exclude: row.exclude,
      namespaces: row.namespaces,
      credentialExpiresAt: row.credentialExpiresAt,
    };
  }

  /** Tests the connection (reachability, then credentials) and records the typed outcome as its status. */
  async test(projectId: string, id: string, signal: AbortSignal): Promise<ConnectivityResult> {
    await this.get(projectId, id);
    await this.#setStatus(id, 'checking', null, null);
    const config = await this.openConfig(id);
    let result: ConnectivityResult;
    if (config.credentialExpiresAt && config.credentialExpiresAt <= this.clock.now()) {
      result = { ok: false, code: 'authentication_failed', message: 'the credentials expired' };
      await this.#setStatus(id, 'failed', 'credential_expired', result.message);
      return result;
    }
    try {
      result = await this.listers.create(config).testConnection(signal);
    } catch (error) {
      result = {
        ok: false,
        code: 'download_failed',
        message: error instanceof Error ? error.message : String(error),
      };
    }
    await this.#setStatus(
      id,
      result.ok ? 'ok' : 'failed',
      result.ok ? null : result.code,
      result.ok ? null : result.message,
    );
    return result;
  }

  async #setStatus(
    id: string,
    status: ConnectionStatus,
    reason: string | null,
    message: string | null,
  ): Promise<void> {
    await this.db
      .updateTable('registryConnection')
      .set({ status, statusReason: reason, statusMessage: message, checkedAt: this.clock.now() })
      .where('id', '=', id)
      .execute();
  }

  async #assertNameFree(projectId: string, name: string, exceptId: string | undefined): Promise<void> {
    const clash = await this.db
      .selectFrom('registryConnection')
      .select('id')
      .where('projectId', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash && clash.id !== exceptId)
      throw new ServiceError('conflict', `a registry connection named ${name} exists`);
  }

  #view(row: Selectable<RegistryConnectionTable>): RegistryConnection {
    return {
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      type: row.type,
      url: row.url,
      hasCredentials: row.credentialsSealed !== null,
      caPem: row.caPem,
      skipTlsVerify: row.skipTlsVerify,
      include: row.include,
      exclude: row.exclude,
      namespaces: row.namespaces,
      credentialExpiresAt: row.credentialExpiresAt,
      maxConcurrentPulls: row.maxConcurrentPulls,
      status: row.status,
      statusReason: row.statusReason,
      statusMessage: row.statusMessage,
      checkedAt: row.checkedAt,
    };
  }
}
