import {
  formatCycloneDx,
  formatSpdx,
  type ScanReport,
  type Severity,
  type VulnerabilityFinding,
} from '@drydock/engine';
import { scannerInfo, type SbomMediaType } from './harbor-spec.ts';

/**
 * Renders a stored scan report in Harbor's report documents (HarborVulnerabilityReport and, from
 * spec 1.2, HarborSbomReport of goharbor/pluggable-scanner-spec). Only findings whose status is
 * `affected` are vulnerabilities to Harbor; those the engine could not evaluate stay out.
 */

/** Harbor's Severity enum. */
export type HarborSeverity = 'Unknown' | 'Negligible' | 'Low' | 'Medium' | 'High' | 'Critical';

const harborSeverity: Readonly<Record<Severity, HarborSeverity>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  unknown: 'Unknown',
};

const severityRank: Readonly<Record<HarborSeverity, number>> = {
  Unknown: 0,
  Negligible: 1,
  Low: 2,
  Medium: 3,
  High: 4,
  Critical: 5,
};

/** The artifact block, as the scan request named it. */
export interface HarborArtifact {
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
  readonly mime_type?: string;
}

export interface HarborCvss {
  readonly score_v3?: number;
  readonly vector_v3?: string;
  readonly score_v2?: number;
  readonly vector_v2?: string;
}

export interface HarborVulnerabilityItem {
  readonly id: string;
  readonly package: string;
  readonly version: string;
  readonly fix_version?: string;
  readonly severity: HarborSeverity;
  readonly description?: string;
  readonly links: readonly string[];
  readonly preferred_cvss?: HarborCvss;
  readonly vendor_attributes: Readonly<Record<string, unknown>>;
}

export interface HarborVulnerabilityReport {
  readonly generated_at: string;
  readonly artifact: HarborArtifact;
  readonly scanner: typeof scannerInfo;
  readonly severity: HarborSeverity;
  readonly vulnerabilities: readonly HarborVulnerabilityItem[];
}

/** Links must be URIs (the spec's `format: uri`): only absolute http(s) references are kept. */
function webLinks(references: readonly string[]): string[] {
  return references.filter((reference) => {
    try {
      const url = new URL(reference);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  });
}

/** CVSS 3.x and 2.0 scores have their own fields; other versions (4.0) have none in the spec. */
function cvssOf(finding: VulnerabilityFinding): HarborCvss | undefined {
  const cvss = finding.cvss;
  if (!cvss) return undefined;
  if (cvss.version.startsWith('3')) return { score_v3: cvss.score, vector_v3: cvss.vector };
  if (cvss.version.startsWith('2')) return { score_v2: cvss.score, vector_v2: cvss.vector };
  return undefined;
}

function itemOf(finding: VulnerabilityFinding): HarborVulnerabilityItem {
  const description = finding.description ?? finding.summary;
  const cvss = cvssOf(finding);
  const fix = finding.fixedVersions[0];
  return {
    id: finding.id,
    package: finding.package.name,
    version: finding.installedVersion,
    ...(fix === undefined ? {} : { fix_version: fix }),
    severity: harborSeverity[finding.severity],
    ...(description === undefined ? {} : { description }),
    links: webLinks(finding.references),
    ...(cvss ? { preferred_cvss: cvss } : {}),
    vendor_attributes: {
      ecosystem: finding.package.ecosystem,
      purl: finding.package.purl,
      path: finding.package.path,
      ...(finding.aliases.length > 0 ? { aliases: [...finding.aliases] } : {}),
    },
  };
}

/** The vulnerability report of every platform the report holds (Harbor sends one image manifest). */
export function harborVulnerabilityReport(
  report: ScanReport,
  artifact: HarborArtifact,
): HarborVulnerabilityReport {
  const vulnerabilities = report.images
    .flatMap((image) => image.vulnerabilities ?? [])
    .filter((finding) => finding.status === 'affected')
    .map(itemOf);
  const severity = vulnerabilities.reduce<HarborSeverity>(
    (highest, item) => (severityRank[item.severity] > severityRank[highest] ? item.severity : highest),
    'Unknown',
  );
  return { generated_at: report.createdAt, artifact, scanner: scannerInfo, severity, vulnerabilities };
}

/** The SBOM report in the asked format (SPDX 2.3 or CycloneDX 1.6 JSON). */
export function harborSbomReport(report: ScanReport, artifact: HarborArtifact, mediaType: SbomMediaType) {
  const text = mediaType === 'application/spdx+json' ? formatSpdx(report) : formatCycloneDx(report);
  const sbom: unknown = JSON.parse(text);
  return {
    generated_at: report.createdAt,
    artifact,
    scanner: scannerInfo,
    media_type: mediaType,
    sbom,
  };
}
