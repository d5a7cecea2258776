import {
  BaseImageCatalogue,
  MalwareScanner,
  SecretScanner,
  databaseExists,
  openVulnerabilityDatabase,
  type VulnerabilityDatabaseFile,
} from '@drydock/engine';

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
}

/**
 * The checkers a worker opens once and shares between its scans: opening a database, compiling
 * YARA rules or starting the secret rules' threads per image would cost more than many scans.
 */
export class ScanEngines {
  #database: VulnerabilityDatabaseFile | undefined;

  private constructor(
    database: VulnerabilityDatabaseFile | undefined,
    readonly secrets: SecretScanner,
    readonly malware: MalwareScanner,
    readonly baseImages: BaseImageCatalogue | undefined,
  ) {
    this.#database = database;
  }

  get vulnerabilityDatabase(): VulnerabilityDatabaseFile | undefined {
    return this.#database;
  }

  /** Scans from now on match against this database (after an update); the old one is closed. */
  replaceVulnerabilityDatabase(database: VulnerabilityDatabaseFile): void {
    const old = this.#database;
    this.#database = database;
    old?.close();
  }

  static async open(settings: ScanEngineSettings): Promise<ScanEngines> {
    const path = settings.vulnerabilityDatabasePath;
    const database = path && (await databaseExists(path)) ? openVulnerabilityDatabase(path) : undefined;
    const malware = await MalwareScanner.open({
      hashStorePath: settings.malwareHashStorePath ?? null,
      ...(settings.clamd ? { clamd: { address: settings.clamd } } : {}),
      yaraRules: [...(settings.yaraRules ?? [])],
    });
    const baseImages = settings.baseCataloguePath
      ? BaseImageCatalogue.open(settings.baseCataloguePath)
      : undefined;
    return new ScanEngines(database, new SecretScanner({ config: {} }), malware, baseImages);
  }

  async close(): Promise<void> {
    this.#database?.close();
    await this.secrets.close();
    await this.malware.close();
    this.baseImages?.close();
  }
}
