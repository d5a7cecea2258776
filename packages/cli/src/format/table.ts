import type { ImageReport, ScanReport, VulnerabilityFinding } from '@drydock/engine';
import { formatBytes, formatPlatform, severities, severityOrder } from '@drydock/engine';
import {
  heading,
  severityCell,
  severityLabel,
  shortDigest,
  shortInstruction,
  table,
  truncate,
  type TableOptions,
} from './table-parts.ts';
import { baseImageSection } from './base-image-section.ts';
import { baselineSection } from './baseline-section.ts';
import { complianceSection } from './compliance-section.ts';
import { malwareSection } from './malware-section.ts';
import { secretSection } from './secret-section.ts';

export type { TableOptions } from './table-parts.ts';

/** The hint shown when no vulnerability database was found. */
export const noDatabaseHint =
  'not scanned: no vulnerability database (build one with `drydock db update`, or `drydock db import PATH|URL` offline)';

const titleWidth = 60;

function imageSection(image: ImageReport, options: TableOptions): string {
  const lines: string[] = [];
  const os = image.os
    ? `${image.os.prettyName ?? image.os.name} (${image.os.family} ${image.os.version ?? 'unknown version'})`
    : 'unknown';
  lines.push(heading(`Image ${formatPlatform(image.platform)}`, options));
  lines.push(
    table(
      ['Field', 'Value'],
      [
        ['Manifest digest', image.manifestDigest ?? ''],
        ['Config digest', image.configDigest ?? ''],
        ['Tags', image.repoTags.join(', ')],
        ['Created', image.created ?? ''],
        ['Operating system', os],
        ['User', image.config.user || '(root)'],
        ['Entrypoint / Cmd', [...image.config.entrypoint, ...image.config.cmd].join(' ')],
        ['Exposed ports', image.config.exposedPorts.join(', ')],
        ['Healthcheck', image.config.healthcheck ? image.config.healthcheck.join(' ') : 'none'],
      ],
      options,
    ),
  );
  lines.push(...baseImageSection(image, options));
  lines.push(heading('Layers', options));
  lines.push(
    table(
      ['#', 'Digest', 'Size', 'Unpacked', 'Files', 'Instruction'],
      image.layers.map((layer) => [
        layer.index + 1,
        shortDigest(layer.digest),
        formatBytes(layer.size),
        formatBytes(layer.uncompressedSize),
        layer.stats.files,
        shortInstruction(layer.createdBy),
      ]),
      options,
    ),
  );
  lines.push(...vulnerabilitySection(image, options));
  lines.push(...secretSection(image, options));
  lines.push(...malwareSection(image, options));
  if (image.baseline) lines.push(...baselineSection(image, options));
  if (image.compliance) lines.push(...complianceSection(image, options));
  if (image.packages.length > 0) {
    lines.push(heading(`Packages (${image.packages.length})`, options));
    lines.push(
      table(
        ['Ecosystem', 'Name', 'Version', 'Source package', 'Layer', 'Found in'],
        image.packages.map((pkg) => [
          pkg.ecosystem,
          pkg.name,
          pkg.version,
          pkg.source && (pkg.source.name !== pkg.name || pkg.source.version !== pkg.version)
            ? `${pkg.source.name} ${pkg.source.version}`
            : '',
          pkg.layer.index + 1,
          `/${pkg.path}`,
        ]),
        options,
      ),
    );
  }
  const files = image.files;
  lines.push(heading('Files', options));
  lines.push(
    table(
      ['Files', 'Directories', 'Symlinks', 'Total size', 'Setuid', 'Setgid', 'World-writable'],
      [
        [
          files.files,
          files.directories,
          files.symlinks,
          formatBytes(files.totalBytes),
          files.setuid.length,
          files.setgid.length,
          files.worldWritable.length,
        ],
      ],
      options,
    ),
  );
  if (files.largest.length > 0) {
    lines.push(heading('Largest files', options));
    lines.push(
      table(
        ['Path', 'Size', 'Layer'],
        files.largest
          .slice(0, 10)
          .map((file) => [`/${file.path}`, formatBytes(file.size), file.layerIndex + 1]),
        options,
      ),
    );
  }
  const special = [
    ...files.setuid.map((path) => ['setuid', `/${path}`]),
    ...files.setgid.map((path) => ['setgid', `/${path}`]),
  ];
  if (special.length > 0) {
    lines.push(heading('Setuid and setgid files', options));
    lines.push(table(['Kind', 'Path'], special.slice(0, 50), options));
  }
  if (image.diagnostics.length > 0) {
    lines.push(heading(`Diagnostics (${image.diagnostics.length})`, options));
    lines.push(
      table(
        ['Layer', 'Path', 'Code', 'Message'],
        image.diagnostics
          .slice(0, 20)
          .map((entry) => [entry.layerIndex + 1, entry.path, entry.code, entry.message]),
        options,
      ),
    );
  }
  return lines.join('\n');
}

/** The advisory cell: its id, and its first CVE alias when the id is not a CVE. */
function advisoryCell(finding: VulnerabilityFinding): string[] {
  const cve = finding.aliases.find((alias) => alias.startsWith('CVE-') && alias !== finding.id);
  return cve ? [finding.id, cve] : [finding.id];
}

function layerCell(finding: VulnerabilityFinding): string {
  const instruction = shortInstruction(finding.package.layer.createdBy);
  const short = instruction.length > 40 ? `${instruction.slice(0, 39)}…` : instruction;
  return short ? `${finding.package.layer.index + 1}: ${short}` : String(finding.package.layer.index + 1);
}

function bySeverityThenId(a: VulnerabilityFinding, b: VulnerabilityFinding): number {
  return severityOrder[b.severity] - severityOrder[a.severity] || a.id.localeCompare(b.id);
}

/** Findings grouped by package (name, version, file), most severe package first, then by name. */
function groupByPackage(findings: readonly VulnerabilityFinding[]): VulnerabilityFinding[][] {
  const groups = new Map<string, VulnerabilityFinding[]>();
  for (const finding of findings) {
    const key = `${finding.package.name}\u0000${finding.package.version}\u0000${finding.package.path}`;
    const group = groups.get(key) ?? [];
    group.push(finding);
    groups.set(key, group);
  }
  const worst = (group: readonly VulnerabilityFinding[]) =>
    Math.max(...group.map((finding) => severityOrder[finding.severity]));
  return [...groups.values()]
    .map((group) => group.sort(bySeverityThenId))
    .sort(
      (a, b) =>
        worst(b) - worst(a) ||
        (a[0]?.package.name ?? '').localeCompare(b[0]?.package.name ?? '') ||
        (a[0]?.package.path ?? '').localeCompare(b[0]?.package.path ?? ''),
    );
}

/** `Total: N (CRITICAL: a, HIGH: b, MEDIUM: c, LOW: d, UNKNOWN: e)` */
function summaryLine(findings: readonly VulnerabilityFinding[], options: TableOptions): string {
  const counts = severities.map(
    (severity) =>
      `${severityLabel(severity, options)}: ${findings.filter((finding) => finding.severity === severity).length}`,
  );
  return `Total: ${findings.length} (${counts.join(', ')})`;
}

function suppressedLine(image: ImageReport): string | undefined {
  const suppressed = image.suppressedVulnerabilities ?? [];
  if (suppressed.length === 0) return undefined;
  const vex = suppressed.filter((entry) => entry.by === 'vex').length;
  const parts = [
    ...(vex > 0 ? [`VEX: ${vex}`] : []),
    ...(suppressed.length - vex > 0 ? [`ignore file: ${suppressed.length - vex}`] : []),
  ];
  return `Suppressed: ${suppressed.length} (${parts.join(', ')}); see each with its reason in --format json`;
}

/**
 * The Vulnerabilities section of one image: a summary line of counts by severity, a table
 * grouped by package (Package, Advisory, Severity, Installed, Fixed, Layer, Title), the number of
 * suppressed findings, and apart the findings whose version could not be evaluated, with why.
 */
function vulnerabilitySection(image: ImageReport, options: TableOptions): string[] {
  if (image.vulnerabilities === undefined) {
    return [`${heading('Vulnerabilities', options)}: ${options.notScanned ?? noDatabaseHint}`];
  }
  const affected = image.vulnerabilities.filter((finding) => finding.status === 'affected');
  const unknown = image.vulnerabilities.filter((finding) => finding.status === 'unknown');
  const lines = [heading(`Vulnerabilities (${affected.length})`, options), summaryLine(affected, options)];
  if (affected.length > 0) {
    const rows = groupByPackage(affected).flatMap((group) =>
      group.map((finding, index) => [
        index === 0 ? finding.package.name : '',
        advisoryCell(finding),
        severityCell(finding.severity, options),
        finding.installedVersion,
        finding.fixedVersions.length > 0 ? finding.fixedVersions.join(', ') : 'not fixed',
        layerCell(finding),
        truncate(finding.summary ?? finding.description ?? '', titleWidth),
      ]),
    );
    lines.push(
      table(['Package', 'Advisory', 'Severity', 'Installed', 'Fixed', 'Layer', 'Title'], rows, options),
    );
  }
  const suppressed = suppressedLine(image);
  if (suppressed) lines.push(suppressed);
  if (unknown.length > 0) {
    lines.push(heading(`Could not be evaluated (${unknown.length})`, options));
    lines.push(
      table(
        ['Package', 'Advisory', 'Severity', 'Installed', 'Reason'],
        groupByPackage(unknown).flatMap((group) =>
          group.map((finding) => [
            finding.package.name,
            advisoryCell(finding),
            severityCell(finding.severity, options),
            finding.installedVersion,
            finding.evidence.reason ?? 'the version could not be evaluated',
          ]),
        ),
        options,
      ),
    );
  }
  return lines;
}

function databaseLine(report: ScanReport, now: Date): string | undefined {
  const database = report.vulnerabilityDatabase;
  if (!database) return undefined;
  const built = Date.parse(database.builtAt);
  const days = Number.isNaN(built) ? undefined : Math.floor((now.getTime() - built) / 86_400_000);
  const age =
    days === undefined ? '' : days <= 0 ? ', today' : days === 1 ? ', 1 day old' : `, ${days} days old`;
  return `Vulnerability database: ${database.records} records, built ${database.builtAt}${age}`;
}

/** The human-readable report: image metadata, platforms, layers with instructions, OS and files. */
export function formatTable(report: ScanReport, options: TableOptions): string {
  const parts: string[] = [];
  const { artifact } = report;
  parts.push(
    `${heading(artifact.name, options)} (${artifact.kind}${artifact.digest ? `, ${artifact.digest}` : ''})`,
  );
  if (artifact.platforms.length > 0) {
    const scanned = new Set(report.images.map((image) => formatPlatform(image.platform)));
    parts.push(heading('Platforms', options));
    parts.push(
      table(
        ['Platform', 'Manifest digest', 'Scanned'],
        artifact.platforms.map((entry) => [
          formatPlatform(entry.platform),
          entry.digest,
          scanned.has(formatPlatform(entry.platform)) ? 'yes' : 'no',
        ]),
        options,
      ),
    );
  }
  const database = databaseLine(report, new Date());
  if (database) parts.push(database);
  for (const image of report.images) parts.push(imageSection(image, options));
  return `${parts.join('\n')}\n`;
}
