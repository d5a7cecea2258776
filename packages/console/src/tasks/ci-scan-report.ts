import { isRecord } from '../api/is-record.ts';

/**
 * What the CI scan detail shows of an uploaded report. The API answers the report as the CLI sent
 * it (the engine's ScanReport, packages/engine/src/report/report.schema.json) and types it as
 * unknown; the service checked only the fields it counts, so every other field is read here as
 * optional and a missing or odd one is left out rather than shown wrong.
 */

export interface CiVulnerability {
  readonly key: string;
  readonly platform: string;
  readonly id: string;
  readonly severity: string;
  readonly packageName: string;
  readonly installedVersion: string | undefined;
  readonly fixedVersions: readonly string[];
  readonly summary: string | undefined;
}

export interface CiSecret {
  readonly key: string;
  readonly platform: string;
  readonly ruleId: string;
  readonly title: string | undefined;
  readonly severity: string;
  readonly path: string;
  readonly line: number | undefined;
  /** Masked as the CLI masks it (a few leading characters, then `*`): the service refuses others. */
  readonly secret: string;
  readonly excerpt: string | undefined;
}

export interface CiScannerInfo {
  /** The drydock version that scanned. */
  readonly toolVersion: string | undefined;
  /** When the report was made (RFC 3339). */
  readonly reportedAt: string | undefined;
  /** The vulnerability database's build time; undefined when vulnerabilities were not scanned. */
  readonly databaseBuiltAt: string | undefined;
  readonly databaseRecords: number | undefined;
  readonly databaseFeeds: readonly string[];
  /** Malware engines that ran and how they fared, per platform (`clamav: ok`). */
  readonly malwareEngines: readonly string[];
}

export interface CiReportView {
  readonly scanner: CiScannerInfo;
  readonly vulnerabilities: readonly CiVulnerability[];
  readonly secrets: readonly CiSecret[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function records(value: unknown): readonly Readonly<Record<string, unknown>>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function texts(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `os/architecture[/variant]`, as the service lists platforms. */
function platformOf(image: Readonly<Record<string, unknown>>): string {
  const platform = isRecord(image['platform']) ? image['platform'] : {};
  return [text(platform['os']), text(platform['architecture']), text(platform['variant'])]
    .filter((part) => part !== undefined)
    .join('/');
}

function vulnerabilitiesOf(image: Readonly<Record<string, unknown>>, platform: string): CiVulnerability[] {
  return records(image['vulnerabilities']).map((finding, index) => {
    const pkg = isRecord(finding['package']) ? finding['package'] : {};
    return {
      key: `${platform}#v${index}`,
      platform,
      id: text(finding['id']) ?? '?',
      severity: text(finding['severity']) ?? 'unknown',
      packageName: text(pkg['name']) ?? '?',
      installedVersion: text(finding['installedVersion']) ?? text(pkg['version']),
      fixedVersions: texts(finding['fixedVersions']),
      summary: text(finding['summary']),
    };
  });
}

function secretsOf(image: Readonly<Record<string, unknown>>, platform: string): CiSecret[] {
  return records(image['secrets']).map((finding, index) => ({
    key: `${platform}#s${index}`,
    platform,
    ruleId: text(finding['ruleId']) ?? '?',
    title: text(finding['title']),
    severity: text(finding['severity']) ?? 'unknown',
    path: text(finding['path']) ?? '?',
    line: count(finding['line']),
    secret: text(finding['secret']) ?? '',
    excerpt: text(finding['excerpt']),
  }));
}

function enginesOf(image: Readonly<Record<string, unknown>>, platform: string, several: boolean): string[] {
  const scan = isRecord(image['malwareScan']) ? image['malwareScan'] : {};
  return records(scan['engines']).map((engine) => {
    const named = `${text(engine['engine']) ?? '?'}: ${text(engine['status']) ?? '?'}`;
    return several ? `${named} (${platform})` : named;
  });
}

export function readCiReport(report: unknown): CiReportView {
  const root = isRecord(report) ? report : {};
  const tool = isRecord(root['tool']) ? root['tool'] : {};
  const database = isRecord(root['vulnerabilityDatabase']) ? root['vulnerabilityDatabase'] : {};
  const images = records(root['images']);
  const several = images.length > 1;
  const vulnerabilities: CiVulnerability[] = [];
  const secrets: CiSecret[] = [];
  const malwareEngines: string[] = [];
  for (const image of images) {
    const platform = platformOf(image);
    vulnerabilities.push(...vulnerabilitiesOf(image, platform));
    secrets.push(...secretsOf(image, platform));
    malwareEngines.push(...enginesOf(image, platform, several));
  }
  return {
    scanner: {
      toolVersion: text(tool['version']),
      reportedAt: text(root['createdAt']),
      databaseBuiltAt: text(database['builtAt']),
      databaseRecords: count(database['records']),
      databaseFeeds: texts(database['feeds']),
      malwareEngines,
    },
    vulnerabilities,
    secrets,
  };
}
