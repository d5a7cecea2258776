import { createRequire } from 'node:module';
import type * as CDX from '@cyclonedx/cyclonedx-library';
import { combinedExpression } from '../inventory/spdx-license.ts';
import { formatPlatform } from '../image/platform.ts';
import type { Severity, VulnerabilityFinding } from '../match/finding.ts';
import type { ImageReport, ScanReport } from '../scan/result.ts';
import { packageProperties } from './package-properties.ts';

let library: typeof CDX | undefined;

/**
 * The CycloneDX library, loaded at the first CycloneDX document rather than with the engine: it
 * takes about 35 ms to load, which every scan and every service start paid for a format few ask
 * for. (It is CommonJS, so it loads synchronously.) The functions below bind it as `const CDX`:
 * the value stands beside the type-only import of the same name, whose types annotate them.
 */
function cycloneDx(): typeof CDX {
  // Resolved from the engine package's folder, where npm may have installed it (not hoisted), also
  // when this module runs from the CLI's bundle in another folder.
  library ??= createRequire(import.meta.resolve('@drydock/engine'))(
    '@cyclonedx/cyclonedx-library',
  ) as typeof CDX;
  return library;
}

function licensesOf(declared: readonly string[]): CDX.Models.LicenseRepository {
  const CDX = cycloneDx();
  const repository = new CDX.Models.LicenseRepository();
  const { expression, unknown } = combinedExpression(declared);
  if (expression && unknown.length === 0) {
    // CycloneDX 1.6 allows one expression, or any number of single licences, not both.
    repository.add(
      /\s/.test(expression)
        ? new CDX.Models.LicenseExpression(expression)
        : new CDX.Models.SpdxLicense(expression),
    );
    return repository;
  }
  for (const text of declared)
    if (text.trim() !== '') repository.add(new CDX.Models.NamedLicense(text.trim()));
  return repository;
}

function properties(pairs: readonly [string, string][]): CDX.Models.PropertyRepository {
  const CDX = cycloneDx();
  return new CDX.Models.PropertyRepository(
    pairs.map(([name, value]) => new CDX.Models.Property(name, value)),
  );
}

/** Where each package of an image went: `purl#path` to its component (the first, for duplicates). */
type ComponentIndex = Map<string, CDX.Models.Component>;

function packageKey(purl: string, path: string): string {
  return `${purl}#${path}`;
}

function imageComponent(
  image: ImageReport,
  name: string,
  bomRefPrefix: string,
  index: ComponentIndex,
): CDX.Models.Component {
  const CDX = cycloneDx();
  const component = new CDX.Models.Component(CDX.Enums.ComponentType.Container, name, {
    bomRef: `${bomRefPrefix}image`,
    ...(image.manifestDigest ? { version: image.manifestDigest } : {}),
    properties: properties([
      ['drydock:image:platform', formatPlatform(image.platform)],
      ...(image.configDigest
        ? ([['drydock:image:configDigest', image.configDigest]] satisfies [string, string][])
        : []),
      ...image.repoTags.map((tag): [string, string] => ['drydock:image:repoTag', tag]),
    ]),
  });
  if (image.os) {
    component.components.add(
      new CDX.Models.Component(CDX.Enums.ComponentType.OperatingSystem, image.os.id, {
        bomRef: `${bomRefPrefix}os`,
        ...(image.os.version ? { version: image.os.version } : {}),
        ...(image.os.prettyName ? { description: image.os.prettyName } : {}),
      }),
    );
  }
  const seen = new Set<string>();
  for (const pkg of image.packages) {
    let bomRef = `${bomRefPrefix}${pkg.purl}#${pkg.path}`;
    for (let n = 1; seen.has(bomRef); n++) bomRef = `${bomRefPrefix}${pkg.purl}#${pkg.path}#${n}`;
    seen.add(bomRef);
    const child = new CDX.Models.Component(CDX.Enums.ComponentType.Library, pkg.name, {
      bomRef,
      version: pkg.version,
      purl: pkg.purl,
      licenses: licensesOf(pkg.licenses),
      properties: properties(packageProperties(pkg)),
    });
    component.components.add(child);
    const key = packageKey(pkg.purl, pkg.path);
    if (!index.has(key)) index.set(key, child);
  }
  return component;
}

let severities: Readonly<Record<Severity, CDX.Enums.Vulnerability.Severity>> | undefined;

function severityOf(severity: Severity): CDX.Enums.Vulnerability.Severity {
  const { Severity } = cycloneDx().Enums.Vulnerability;
  severities ??= {
    critical: Severity.Critical,
    high: Severity.High,
    medium: Severity.Medium,
    low: Severity.Low,
    unknown: Severity.Unknown,
  };
  return severities[severity];
}

/** The CycloneDX rating method of a CVSS vector, by its version prefix (`CVSS:3.1/...`, `CVSS:4.0/...`, v2 has none). */
function ratingMethod(cvss: NonNullable<VulnerabilityFinding['cvss']>): CDX.Enums.Vulnerability.RatingMethod {
  const CDX = cycloneDx();
  const { RatingMethod } = CDX.Enums.Vulnerability;
  if (cvss.vector.startsWith('CVSS:4.')) return RatingMethod.CVSSv4;
  if (cvss.vector.startsWith('CVSS:3.1')) return RatingMethod.CVSSv31;
  if (cvss.vector.startsWith('CVSS:3.')) return RatingMethod.CVSSv3;
  if (/^(?:AV:|\(AV:)/.test(cvss.vector) || cvss.version.startsWith('2')) return RatingMethod.CVSSv2;
  return RatingMethod.Other;
}

/** Where an advisory id is published: NVD for CVE ids, OSV.dev (which serves every OSV id) otherwise. */
function advisorySource(id: string): CDX.Models.Vulnerability.Source {
  const CDX = cycloneDx();
  return id.startsWith('CVE-')
    ? new CDX.Models.Vulnerability.Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` })
    : new CDX.Models.Vulnerability.Source({
        name: 'OSV',
        url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
      });
}

function dateOf(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function ratingsOf(findings: readonly VulnerabilityFinding[]): CDX.Models.Vulnerability.Rating[] {
  const CDX = cycloneDx();
  const ratings = new Map<string, CDX.Models.Vulnerability.Rating>();
  for (const finding of findings) {
    const source = new CDX.Models.Vulnerability.Source({ name: finding.severitySource });
    const rating = finding.cvss
      ? new CDX.Models.Vulnerability.Rating({
          source,
          score: finding.cvss.score,
          severity: severityOf(finding.severity),
          method: ratingMethod(finding.cvss),
          vector: finding.cvss.vector,
        })
      : new CDX.Models.Vulnerability.Rating({ source, severity: severityOf(finding.severity) });
    const key = JSON.stringify([finding.severitySource, finding.severity, finding.cvss?.vector]);
    if (!ratings.has(key)) ratings.set(key, rating);
  }
  return [...ratings.values()];
}

function affectOf(
  finding: VulnerabilityFinding,
  component: CDX.Models.Component,
): CDX.Models.Vulnerability.Affect {
  const CDX = cycloneDx();
  const { AffectStatus } = CDX.Enums.Vulnerability;
  const versions = new CDX.Models.Vulnerability.AffectedVersionRepository([
    new CDX.Models.Vulnerability.AffectedSingleVersion(finding.installedVersion, {
      status: finding.status === 'affected' ? AffectStatus.Affected : AffectStatus.Unknown,
    }),
    ...finding.fixedVersions.map(
      (version) =>
        new CDX.Models.Vulnerability.AffectedSingleVersion(version, { status: AffectStatus.Unaffected }),
    ),
  ]);
  return new CDX.Models.Vulnerability.Affect(component.bomRef, { versions });
}

/**
 * The BOM's vulnerabilities section: one entry per advisory, affecting every component (of any
 * scanned platform) it was found in, with the installed version as affected (or unknown when it
 * could not be evaluated) and the fixing versions as unaffected. Ratings carry the severity with
 * its source, and the CVSS score, vector and method when the advisory has a vector; aliases are
 * references to the same vulnerability elsewhere, the advisory's links are its advisories.
 * Suppressed findings are not listed.
 */
function vulnerabilitiesOf(
  report: ScanReport,
  indexes: ReadonlyMap<ImageReport, ComponentIndex>,
): CDX.Models.Vulnerability.Vulnerability[] {
  const CDX = cycloneDx();
  const byId = new Map<string, { finding: VulnerabilityFinding; component: CDX.Models.Component }[]>();
  for (const image of report.images) {
    const index = indexes.get(image);
    for (const finding of image.vulnerabilities ?? []) {
      const component = index?.get(packageKey(finding.package.purl, finding.package.path));
      if (!component) continue;
      const entries = byId.get(finding.id) ?? [];
      entries.push({ finding, component });
      byId.set(finding.id, entries);
    }
  }
  return [...byId.entries()].map(([id, entries]) => {
    const findings = entries.map((entry) => entry.finding);
    const first = findings[0];
    const fixes = [
      ...new Set(
        findings.flatMap((finding) =>
          finding.fixedVersions[0] ? [`${finding.package.name} ${finding.fixedVersions[0]}`] : [],
        ),
      ),
    ];
    const published = dateOf(first?.published);
    const updated = dateOf(first?.modified);
    return new CDX.Models.Vulnerability.Vulnerability({
      bomRef: `vulnerability:${id}`,
      id,
      source: advisorySource(id),
      references: new CDX.Models.Vulnerability.ReferenceRepository(
        (first?.aliases ?? [])
          .filter((alias) => alias !== id)
          .map((alias) => new CDX.Models.Vulnerability.Reference(alias, advisorySource(alias))),
      ),
      ratings: new CDX.Models.Vulnerability.RatingRepository(ratingsOf(findings)),
      ...(first?.summary ? { description: first.summary } : {}),
      ...(first?.description ? { detail: first.description } : {}),
      ...(fixes.length > 0 ? { recommendation: `Upgrade to a fixed version: ${fixes.join(', ')}` } : {}),
      advisories: new CDX.Models.Vulnerability.AdvisoryRepository(
        (first?.references ?? [])
          .filter((url) => URL.canParse(url))
          .map((url) => new CDX.Models.Vulnerability.Advisory(url)),
      ),
      ...(published ? { published } : {}),
      ...(updated ? { updated } : {}),
      affects: new CDX.Models.Vulnerability.AffectRepository(
        entries.map(({ finding, component }) => affectOf(finding, component)),
      ),
    });
  });
}

/**
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/), built and serialised with the
 * CycloneDX library: the image is the BOM's subject; each scanned platform is a container
 * component holding its operating system and packages, each package with its purl, licences,
 * and Drydock properties naming the file and layer it came from. When vulnerabilities were
 * scanned, the BOM's `vulnerabilities` section lists them against those components.
 */
export function formatCycloneDx(report: ScanReport): string {
  const CDX = cycloneDx();
  const single = report.images.length === 1 ? report.images[0] : undefined;
  const bom = new CDX.Models.Bom({ serialNumber: `urn:uuid:${crypto.randomUUID()}` });
  bom.metadata.timestamp = new Date(report.createdAt);
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, report.tool.name, {
      version: report.tool.version,
    }),
  );
  const indexes = new Map<ImageReport, ComponentIndex>();
  const indexFor = (image: ImageReport): ComponentIndex => {
    const index: ComponentIndex = new Map();
    indexes.set(image, index);
    return index;
  };
  if (single) {
    const subject = imageComponent(single, report.artifact.name, '', indexFor(single));
    bom.metadata.component = subject;
    for (const child of subject.components) bom.components.add(child);
    subject.components.clear();
  } else {
    bom.metadata.component = new CDX.Models.Component(
      CDX.Enums.ComponentType.Container,
      report.artifact.name,
      {
        bomRef: 'index',
        ...(report.artifact.digest ? { version: report.artifact.digest } : {}),
      },
    );
    for (const image of report.images) {
      bom.components.add(
        imageComponent(
          image,
          `${report.artifact.name} ${formatPlatform(image.platform)}`,
          `${formatPlatform(image.platform)}:`,
          indexFor(image),
        ),
      );
    }
  }
  for (const vulnerability of vulnerabilitiesOf(report, indexes)) bom.vulnerabilities.add(vulnerability);
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
