import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pc from 'picocolors';
import {
  applyFindingPolicy,
  BaseImageCatalogue,
  countBlockingFindings,
  databaseExists,
  defaultBaseImageCataloguePath,
  defaultDatabasePath,
  defaultIgnoreFileName,
  DirectoryLayerCache,
  formatCycloneDx,
  formatJson,
  formatJunit,
  formatSarif,
  formatSpdx,
  isCompliancePolicyError,
  isSecretConfigError,
  isSuppressionFileError,
  loadIgnoreFile,
  loadVexDocument,
  openImageSource,
  openVulnerabilityDatabase,
  parseCompliancePolicy,
  parsePlatform,
  parseSeverityList,
  scanSource,
  toDrydockError,
  type ExpiredIgnoreEntry,
  type FindingPolicy,
  type IgnoreFile,
  type LayerCache,
  type RegistryCredentials,
  type ScanReport,
  type Severity,
  type VulnerabilityDatabase,
} from '@drydock/engine';
import { parseByteSize } from '../byte-size.ts';
import { parseDuration } from '../duration.ts';
import type { UploadOptions } from './ci-upload.ts';
import { formatTable, noDatabaseHint } from '../format/table.ts';
import { printError } from '../print-error.ts';
import { terminalProgress } from '../progress.ts';
import { isRemoteError } from './service/remote-error.ts';
import { baselineOptions } from './image-baseline.ts';
import {
  OptionError,
  openFileCheckers,
  parseScanners,
  scannerWanted,
  type FileCheckers,
  type ScannerName,
} from './image-scanners.ts';

/** Exit status of a scan that could not be completed; distinct from `--exit-code` for findings. */
export const errorExitCode = 2;

function parseSeverities(value: unknown): readonly Severity[] | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseSeverityList(value);
  if (!parsed.ok) {
    throw new OptionError(
      `--severity: unknown severity ${JSON.stringify(parsed.invalid[0])} (expected a comma list of critical, high, medium, low, unknown)`,
    );
  }
  return parsed.severities;
}

/** `--cache-dir DIR` (with `--cache-max`): the layer cache the scan reads and fills, if any. */
function layerCacheFrom(options: Record<string, unknown>): LayerCache | undefined {
  if (typeof options['cacheDir'] !== 'string') return undefined;
  const text = String(options['cacheMax'] ?? '2G');
  const maxBytes = parseByteSize(text);
  if (maxBytes === undefined)
    throw new OptionError(`--cache-max: ${JSON.stringify(text)} is not a size (e.g. 500M, 4G)`);
  return new DirectoryLayerCache(options['cacheDir'], { maxBytes });
}

function parseExitCode(value: unknown): number {
  const text = String(value ?? '0').trim();
  const code = Number(text);
  if (!/^\d+$/.test(text) || code > 255)
    throw new OptionError(`--exit-code: ${JSON.stringify(text)} is not an exit status (0-255)`);
  return code;
}

async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The ignore file: the one given, else `.drydockignore` in the working directory when there is one. */
async function ignoreFilesFrom(options: Record<string, unknown>): Promise<IgnoreFile[]> {
  const given = options['ignorefile'];
  if (typeof given === 'string') return [await loadIgnoreFile(given)];
  const fallback = join(process.cwd(), defaultIgnoreFileName);
  return (await fileExists(fallback)) ? [await loadIgnoreFile(fallback)] : [];
}

function vexFilesFrom(options: Record<string, unknown>): string[] {
  const value = options['vex'];
  return Array.isArray(value) ? value.filter((file): file is string => typeof file === 'string') : [];
}

interface VulnerabilityScanChoice {
  readonly database: VulnerabilityDatabase | undefined;
  /** What the table says when vulnerabilities are not scanned. */
  readonly notScanned: string;
  /** Why they are not scanned, for a warning on standard error (undefined: scanned, or not wanted). */
  readonly warning: string | undefined;
}

/**
 * Whether to scan vulnerabilities: `--scanners` decides when given (`vuln` without a database
 * fails with `not_found`); otherwise they are scanned when the database (`--db`, else the
 * default path) exists, and a `--db` that does not exist is an error.
 */
async function chooseVulnerabilityScan(
  options: Record<string, unknown>,
  scanners: ReadonlySet<ScannerName> | undefined,
): Promise<VulnerabilityScanChoice> {
  const given = typeof options['db'] === 'string' ? options['db'] : undefined;
  const path = given ?? defaultDatabasePath();
  if (scanners && !scanners.has('vuln')) {
    return { database: undefined, notScanned: 'not scanned (--scanners without vuln)', warning: undefined };
  }
  if (scanners || given !== undefined || (await databaseExists(path))) {
    return { database: openVulnerabilityDatabase(path), notScanned: '', warning: undefined };
  }
  return {
    database: undefined,
    notScanned: noDatabaseHint,
    warning: `vulnerabilities not scanned: no vulnerability database at ${path} (run \`drydock db update\` or \`drydock db import PATH|URL\`)`,
  };
}

/**
 * The base-image catalogue: the one `--base-catalogue` names (a bad one fails the command), else
 * the default one when it exists (a bad one is a warning: the scan goes on without base images).
 */
function openBaseCatalogue(options: Record<string, unknown>): BaseImageCatalogue | undefined {
  const given = typeof options['baseCatalogue'] === 'string' ? options['baseCatalogue'] : undefined;
  if (given !== undefined) {
    const catalogue = BaseImageCatalogue.open(given, { readOnly: true });
    if (catalogue === undefined) throw new OptionError(`--base-catalogue: no catalogue at ${given}`);
    return catalogue;
  }
  try {
    return BaseImageCatalogue.open(defaultBaseImageCataloguePath(), { readOnly: true });
  } catch (error) {
    warn(`base images not named: ${toDrydockError(error).message}`);
    return undefined;
  }
}

function warn(message: string): void {
  process.stderr.write(`${pc.yellow('drydock: warning:')} ${message}\n`);
}

function reportExpired(expired: readonly ExpiredIgnoreEntry[]): void {
  for (const { entry, source, findings } of expired) {
    const scope = [entry.package ? `package ${entry.package}` : '', entry.path ? `path ${entry.path}` : '']
      .filter((part) => part !== '')
      .join(', ');
    warn(
      `${source}: the entry for ${entry.id}${scope ? ` (${scope})` : ''} expired on ${entry.expires ?? '?'} and no longer applies` +
        (findings > 0 ? ` (${findings} finding${findings === 1 ? '' : 's'} reported again)` : ''),
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function credentialsFrom(options: Record<string, unknown>): Promise<RegistryCredentials | undefined> {
  const token = (options['registryToken'] as string | undefined) ?? process.env['DRYDOCK_REGISTRY_TOKEN'];
  if (token) return { kind: 'bearer', token };
  const username = (options['username'] as string | undefined) ?? process.env['DRYDOCK_USERNAME'];
  if (!username) return undefined;
  const password = options['passwordStdin']
    ? await readStdin()
    : ((options['password'] as string | undefined) ?? process.env['DRYDOCK_PASSWORD'] ?? '');
  return { kind: 'basic', username, password };
}

function render(report: ScanReport, format: string, table: { color: boolean; notScanned: string }): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'cyclonedx':
      return formatCycloneDx(report);
    case 'spdx-json':
      return formatSpdx(report);
    case 'junit':
      return formatJunit(report);
    default:
      return formatTable(report, table);
  }
}

export async function runImageCommand(reference: string, options: Record<string, unknown>): Promise<number> {
  const timeout = AbortSignal.timeout(parseDuration(String(options['timeout'] ?? '10m')));
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const signal = AbortSignal.any([timeout, interrupt.signal]);
  const progress = terminalProgress(options['progress'] !== false);
  let database: VulnerabilityDatabase | undefined;
  let checkers: FileCheckers | undefined;
  let baseImages: BaseImageCatalogue | undefined;
  try {
    const exitCode = parseExitCode(options['exitCode']);
    const severities = parseSeverities(options['severity']);
    const scanners = parseScanners(options['scanners']);
    const layerCache = layerCacheFrom(options);
    const choice = await chooseVulnerabilityScan(options, scanners);
    database = choice.database;
    checkers = await openFileCheckers(options, scanners);
    baseImages = openBaseCatalogue(options);
    const policyFile =
      typeof options['compliancePolicy'] === 'string' ? options['compliancePolicy'] : undefined;
    const compliance = scannerWanted(scanners, 'compliance')
      ? policyFile
        ? { policy: parseCompliancePolicy(await readFile(policyFile, 'utf8'), policyFile) }
        : {}
      : undefined;
    const baseline = scannerWanted(scanners, 'baseline')
      ? await baselineOptions(reference, options)
      : undefined;
    // Suppression files are read before the scan, so a bad one fails fast.
    const ignoreFiles = await ignoreFilesFrom(options);
    const vexDocuments = await Promise.all(vexFilesFrom(options).map((file) => loadVexDocument(file)));
    const policy: FindingPolicy = {
      suppressions: { ignoreFiles, vexDocuments },
      now: new Date(),
      ...(severities ? { severities } : {}),
      ignoreUnfixed: options['ignoreUnfixed'] === true,
    };
    // --server: the token is found before the scan, so a missing one does not cost a scan.
    const uploadOptions: UploadOptions = {
      ...(typeof options['server'] === 'string' ? { server: options['server'] } : {}),
      ...(typeof options['tokenFile'] === 'string' ? { tokenFile: options['tokenFile'] } : {}),
      ...(typeof options['project'] === 'string' ? { project: options['project'] } : {}),
    };
    const upload = uploadOptions.server === undefined ? undefined : await import('./ci-upload.ts');
    const connection = await upload?.uploadConnectionOf(uploadOptions);
    const caFile = options['caCert'] as string | undefined;
    const source = await openImageSource(reference, {
      credentials: await credentialsFrom(options),
      insecure: options['insecure'] === true,
      skipTlsVerify: options['skipTlsVerify'] === true,
      ...(caFile ? { caPem: await readFile(caFile, 'utf8') } : {}),
    });
    try {
      const platform =
        typeof options['platform'] === 'string' ? parsePlatform(options['platform']) : undefined;
      const scanned = await scanSource(source, {
        signal,
        ...(platform ? { platform } : {}),
        allPlatforms: options['allPlatforms'] === true,
        ...(progress.listener ? { onProgress: progress.listener } : {}),
        ...(database ? { vulnerabilityDatabase: database } : {}),
        ...(checkers.secrets
          ? { secrets: { scanner: checkers.secrets, skipBaseLayers: checkers.skipBaseLayers } }
          : {}),
        ...(checkers.malware ? { malware: checkers.malware } : {}),
        ...(baseline ? { baseline } : {}),
        ...(baseImages ? { baseImages } : {}),
        ...(layerCache ? { layerCache } : {}),
        ...(compliance ? { compliance } : {}),
      });
      progress.stop();
      const { report, expired } = applyFindingPolicy(scanned, policy);
      const format = String(options['format'] ?? 'table');
      // The table says it in its Vulnerabilities section; other formats get it on standard error.
      if (choice.warning && format !== 'table') warn(choice.warning);
      reportExpired(expired);
      const text = render(report, format, {
        color: !options['output'] && process.stdout.isTTY === true,
        notScanned: choice.notScanned,
      });
      if (typeof options['output'] === 'string') await writeFile(options['output'], text);
      else process.stdout.write(text);
      const scanExitCode = exitCode !== 0 && countBlockingFindings(report) > 0 ? exitCode : 0;
      if (!upload || !connection) return scanExitCode;
      return await upload.uploadAfterScan(report, connection, uploadOptions, scanExitCode, (line) =>
        process.stderr.write(`${line}\n`),
      );
    } finally {
      await source.close();
    }
  } catch (error) {
    progress.stop();
    if (error instanceof OptionError || isRemoteError(error)) {
      process.stderr.write(`${pc.red('drydock: error')} [${error.code}] ${error.message}\n`);
      return errorExitCode;
    }
    if (isSuppressionFileError(error) || isSecretConfigError(error) || isCompliancePolicyError(error)) {
      process.stderr.write(`${pc.red('drydock: error')} [${error.code}] ${error.message}\n`);
      for (const issue of error.issues) process.stderr.write(`  ${issue}\n`);
      return errorExitCode;
    }
    printError(error, signal);
    return errorExitCode;
  } finally {
    database?.close();
    await checkers?.close();
    baseImages?.close();
    process.off('SIGINT', onSigint);
  }
}
