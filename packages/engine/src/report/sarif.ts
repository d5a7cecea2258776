import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { formatPlatform } from '../image/platform.ts';
import type { Severity, VulnerabilityFinding } from '../match/finding.ts';
import type { ImageReport, ScanReport, SuppressedFinding } from '../scan/result.ts';
import {
  baselineResult,
  baselineRule,
  baselineRuleId,
  complianceResult,
  complianceRule,
  complianceRuleId,
} from './sarif-checks.ts';
import { malwareResult, malwareRule, malwareRuleId } from './sarif-malware.ts';
import { secretResult, secretRule, secretRuleId } from './sarif-secrets.ts';
import { imageRootBaseId, sarifLevels, severityScores } from './sarif-shared.ts';

/** The SARIF version written, and its published JSON schema. */
export const sarifVersion = '2.1.0';
export const sarifSchema =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export { imageRootBaseId } from './sarif-shared.ts';

export interface SarifOptions {
  /** `tool.driver.informationUri`: where users learn about Drydock (omitted when not given). */
  readonly informationUri?: string;
}

const levels = sarifLevels;

/** `security-severity` of advisories without a CVSS score; unknown severities get none. */
const bandScores: Readonly<Record<Severity, string | undefined>> = { ...severityScores, unknown: undefined };

function advisoryUri(finding: VulnerabilityFinding): string {
  return finding.references[0] ?? `https://osv.dev/vulnerability/${encodeURIComponent(finding.id)}`;
}

function firstCve(finding: VulnerabilityFinding): string | undefined {
  return [finding.id, ...finding.aliases].find((id) => id.startsWith('CVE-'));
}

function fixedText(finding: VulnerabilityFinding): string {
  return finding.fixedVersions.length > 0 ? finding.fixedVersions.join(', ') : 'not fixed';
}

function rule(finding: VulnerabilityFinding): Sarif.ReportingDescriptor {
  const summary = finding.summary ?? finding.description?.split('\n')[0] ?? finding.id;
  const cve = firstCve(finding);
  const score = finding.cvss ? finding.cvss.score.toFixed(1) : bandScores[finding.severity];
  const title = `${finding.id}${cve && cve !== finding.id ? ` (${cve})` : ''}`;
  const severity = `${finding.severity.toUpperCase()}${finding.cvss ? ` (CVSS ${finding.cvss.version} ${finding.cvss.score}, ${finding.cvss.vector})` : ''}`;
  return {
    id: finding.id,
    name: finding.id,
    shortDescription: { text: summary },
    fullDescription: { text: finding.description ?? summary },
    helpUri: advisoryUri(finding),
    help: {
      text: `${title}: ${summary}\nSeverity: ${severity}\nLink: ${advisoryUri(finding)}`,
      markdown: `**${title}**: ${summary}\n\n| Severity | Link |\n| --- | --- |\n| ${severity} | [${finding.id}](${advisoryUri(finding)}) |`,
    },
    defaultConfiguration: { level: levels[finding.severity] },
    properties: {
      ...(score !== undefined ? { 'security-severity': score } : {}),
      tags: ['vulnerability', 'security', finding.severity.toUpperCase()],
      ...(finding.aliases.length > 0 ? { aliases: [...finding.aliases] } : {}),
    },
  };
}

function message(finding: VulnerabilityFinding): string {
  const subject = `Package ${finding.package.name} ${finding.installedVersion}`;
  if (finding.status === 'unknown') {
    return `${subject} may be affected by ${finding.id}: its version could not be evaluated (${finding.evidence.reason ?? 'unknown reason'}). Fixed version: ${fixedText(finding)}.`;
  }
  return `${subject} is affected by ${finding.id} (${finding.severity}). Installed version: ${finding.installedVersion}. Fixed version: ${fixedText(finding)}.`;
}

function fingerprint(finding: VulnerabilityFinding, image: string): string {
  return createHash('sha256')
    .update([image, finding.id, finding.package.purl, finding.package.path].join('\u0000'))
    .digest('hex');
}

function imageNameOf(report: ScanReport, image: ImageReport): string {
  return report.images.length > 1
    ? `${report.artifact.name} (${formatPlatform(image.platform)})`
    : report.artifact.name;
}

function suppressionOf(entry: SuppressedFinding): Sarif.Suppression {
  return {
    kind: 'external',
    status: 'accepted',
    justification: entry.reason,
    location: { physicalLocation: { artifactLocation: { uri: entry.source } } },
    properties: { by: entry.by },
  };
}

function result(
  finding: VulnerabilityFinding,
  ruleIndex: number,
  report: ScanReport,
  image: ImageReport,
  suppressed: SuppressedFinding | undefined,
): Sarif.Result {
  const imageName = imageNameOf(report, image);
  const layer = finding.package.layer;
  return {
    ruleId: finding.id,
    ruleIndex,
    // A version that could not be evaluated is a result to review, not a failure; SARIF then asks for level `none`.
    ...(finding.status === 'unknown'
      ? { kind: 'review', level: 'none' }
      : { kind: 'fail', level: levels[finding.severity] }),
    message: { text: message(finding) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: finding.package.path, uriBaseId: imageRootBaseId } },
        logicalLocations: [
          { kind: 'image', name: imageName, fullyQualifiedName: imageName },
          {
            kind: 'layer',
            name: `layer ${layer.index + 1}`,
            fullyQualifiedName: `${imageName}/layer ${layer.index + 1}`,
            decoratedName: layer.digest,
          },
        ],
      },
    ],
    partialFingerprints: { 'drydockFinding/v1': fingerprint(finding, imageName) },
    ...(suppressed ? { suppressions: [suppressionOf(suppressed)] } : {}),
    properties: {
      packageName: finding.package.name,
      packageEcosystem: finding.package.ecosystem,
      purl: finding.package.purl,
      installedVersion: finding.installedVersion,
      fixedVersions: [...finding.fixedVersions],
      status: finding.status,
      severity: finding.severity,
      layerIndex: layer.index,
      layerDigest: layer.digest,
      ...(layer.createdBy ? { layerCreatedBy: layer.createdBy } : {}),
    },
  };
}

/**
 * The report as SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
 * one run of the `drydock` tool: one rule per advisory (with `security-severity` and tags, as
 * GitHub code scanning reads them), one result per finding. A result's level follows the
 * severity (critical and high: error, medium: warning, low and unknown: note); findings whose
 * version could not be evaluated are `review` results. Each result is located at the package's
 * file in the image (relative to `ROOTPATH`, the image root) and names the image and layer as
 * logical locations. Suppressed findings are included with a SARIF suppression carrying the
 * reason, so consumers that honour suppressions hide them and audits still see them. Secrets
 * (`secret/<rule>`), malicious files (`malware/<engine>/<signature>`), failed baseline checks
 * (`baseline/<check>`) and compliance findings (`compliance/<rule>`) follow as rules and results
 * of their own, located at their file or, for the image configuration, at the image.
 */
export function formatSarif(report: ScanReport, options: SarifOptions = {}): string {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Sarif.Result[] = [];
  const indexOfRule = (id: string, make: () => Sarif.ReportingDescriptor): number => {
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    rules.push(make());
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };
  const indexOf = (finding: VulnerabilityFinding): number => indexOfRule(finding.id, () => rule(finding));
  for (const image of report.images) {
    for (const finding of image.vulnerabilities ?? [])
      results.push(result(finding, indexOf(finding), report, image, undefined));
    for (const entry of image.suppressedVulnerabilities ?? []) {
      results.push(result(entry.finding, indexOf(entry.finding), report, image, entry));
    }
    const context = { imageName: imageNameOf(report, image) };
    for (const finding of image.secrets ?? []) {
      const index = indexOfRule(secretRuleId(finding), () => secretRule(finding));
      results.push(secretResult(finding, index, context));
    }
    for (const finding of image.malware ?? []) {
      const index = indexOfRule(malwareRuleId(finding), () => malwareRule(finding));
      results.push(malwareResult(finding, index, context));
    }
    for (const check of image.baseline?.checks ?? []) {
      if (check.result !== 'fail') continue;
      const index = indexOfRule(baselineRuleId(check), () => baselineRule(check));
      results.push(baselineResult(check, index, context));
    }
    for (const finding of image.compliance?.findings ?? []) {
      const index = indexOfRule(complianceRuleId(finding), () => complianceRule(finding));
      results.push(complianceResult(finding, index, context));
    }
  }
  const log: Sarif.Log = {
    $schema: sarifSchema,
    version: sarifVersion,
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        originalUriBaseIds: {
          [imageRootBaseId]: {
            uri: 'file:///',
            description: { text: `The root of the filesystem of ${report.artifact.name}` },
          },
        },
        results,
        properties: {
          artifact: report.artifact.name,
          ...(report.artifact.digest ? { digest: report.artifact.digest } : {}),
          ...(report.vulnerabilityDatabase ? { vulnerabilityDatabase: report.vulnerabilityDatabase } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
