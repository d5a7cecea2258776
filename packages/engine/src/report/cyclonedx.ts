import * as CDX from '@cyclonedx/cyclonedx-library';
import { combinedExpression } from '../inventory/spdx-license.ts';
import { formatPlatform } from '../image/platform.ts';
import type { ImageReport, ScanReport } from '../scan/result.ts';
import { packageProperties } from './package-properties.ts';

function licensesOf(declared: readonly string[]): CDX.Models.LicenseRepository {
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
  return new CDX.Models.PropertyRepository(
    pairs.map(([name, value]) => new CDX.Models.Property(name, value)),
  );
}

function imageComponent(image: ImageReport, name: string, bomRefPrefix: string): CDX.Models.Component {
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
    component.components.add(
      new CDX.Models.Component(CDX.Enums.ComponentType.Library, pkg.name, {
        bomRef,
        version: pkg.version,
        purl: pkg.purl,
        licenses: licensesOf(pkg.licenses),
        properties: properties(packageProperties(pkg)),
      }),
    );
  }
  return component;
}

/**
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/), built and serialised with the
 * CycloneDX library: the image is the BOM's subject; each scanned platform is a container
 * component holding its operating system and packages, each package with its purl, licences,
 * and Drydock properties naming the file and layer it came from.
 */
export function formatCycloneDx(report: ScanReport): string {
  const single = report.images.length === 1 ? report.images[0] : undefined;
  const bom = new CDX.Models.Bom({ serialNumber: `urn:uuid:${crypto.randomUUID()}` });
  bom.metadata.timestamp = new Date(report.createdAt);
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, report.tool.name, {
      version: report.tool.version,
    }),
  );
  if (single) {
    const subject = imageComponent(single, report.artifact.name, '');
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
        ),
      );
    }
  }
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
