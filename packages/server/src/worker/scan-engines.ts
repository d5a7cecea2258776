import { BaseImageCatalogue, MalwareScanner, SecretScanner, type LayerCache } from '@drydock/engine';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../store/schema.ts';
import type { CredentialVault } from '../registries/credential-vault.ts';
import { LayerCacheStore } from './layer-cache-store.ts';
import type { VulnerabilityDatabaseSlot } from './vulnerability-database-slot.ts';

export interface ScanEngineSettings {
  /** The vulnerability database file; without one, vulnerabilities are not scanned (recorded as such). */
  readonly vulnerabilityDatabasePath?: string;
  /** The malware hash store (`drydock malware import`); EICAR is always detected. */
  readonly malwareHashStorePath?: string | null;
  /** `host:port` or a socket path of a ClamAV daemon. */
  readonly clamd?: string;
  readonly yaraRules?: readonly string[];
  /** The base-image catalogue (`drydock base add`). */
  readonly baseCataloguePath?: string;
  /** Bytes the layer cache keeps (default `defaultLayerCacheMaxBytes`); 0 scans without it. */
  readonly layerCacheMaxBytes?: number;
}

/** Where the layer cache lives: the service database, with the service's clock for its LRU order. */
export interface LayerCacheLocation {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** Seals entries at rest (they may hold account files); the service passes its credential vault. */
  readonly vault?: Pick<CredentialVault, 'sealBytes' | 'openBytes'>;
}

/**
 * The checkers a worker opens once and shares between its scans: opening a database, compiling
 * YARA rules or starting the secret rules' threads per image would cost more than many scans.
 */
export class ScanEngines {
  /** The vulnerability database (a scan leases it); empty without one. */
  readonly databases: VulnerabilityDatabaseSlot;
  readonly secrets: SecretScanner;
  readonly malware: MalwareScanner;
  readonly baseImages: BaseImageCatalogue | undefined;
  /** Analysed layers shared by every scan; undefined when scans run without it. */
  readonly layerCache: LayerCache | undefined;

  private constructor(
    databases: VulnerabilityDatabaseSlot,
    secrets: SecretScanner,
    malware: MalwareScanner,
    baseImages: BaseImageCatalogue | undefined,
    layerCache: LayerCache | undefined,
  ) {
    this.databases = databases;
    this.secrets = secrets;
    this.malware = malware;
    this.baseImages = baseImages;
    this.layerCache = layerCache;
  }

  /** Without `cache`, or with `layerCacheMaxBytes` 0, scans walk every layer. */
  static async open(
    settings: ScanEngineSettings,
    databases: VulnerabilityDatabaseSlot,
    cache?: LayerCacheLocation,
  ): Promise<ScanEngines> {
    const malware = await MalwareScanner.open({
      hashStorePath: settings.malwareHashStorePath ?? null,
      ...(settings.clamd ? { clamd: { address: settings.clamd } } : {}),
      yaraRules: [...(settings.yaraRules ?? [])],
    });
    const baseImages = settings.baseCataloguePath
      ? BaseImageCatalogue.open(settings.baseCataloguePath)
      : undefined;
    const layerCache =
      cache && settings.layerCacheMaxBytes !== 0
        ? new LayerCacheStore(cache.db, {
            clock: cache.clock,
            ...(cache.vault ? { vault: cache.vault } : {}),
            ...(settings.layerCacheMaxBytes === undefined ? {} : { maxBytes: settings.layerCacheMaxBytes }),
          })
        : undefined;
    return new ScanEngines(databases, new SecretScanner({ config: {} }), malware, baseImages, layerCache);
  }

  /** Closes the checkers; the vulnerability database belongs to the service. */
  async close(): Promise<void> {
    await this.secrets.close();
    await this.malware.close();
    this.baseImages?.close();
  }
}
