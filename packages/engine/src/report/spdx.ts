import { combinedExpression } from '../inventory/spdx-license.ts';
import { formatPlatform } from '../image/platform.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { ScanReport } from '../scan/result.ts';

interface SpdxPackage {
  readonly SPDXID: string;
  readonly name: string;
  readonly versionInfo?: string;
  readonly downloadLocation: string;
  readonly filesAnalyzed: false;
  readonly licenseConcluded: string;
  readonly licenseDeclared: string;
  readonly copyrightText: string;
  readonly primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY' | 'APPLICATION';
  readonly externalRefs?: readonly {
    referenceCategory: 'PACKAGE-MANAGER';
    referenceType: 'purl';
    referenceLocator: string;
  }[];
  readonly sourceInfo?: string;
  readonly comment?: string;
}

interface Relationship {
  readonly spdxElementId: string;
  readonly relationshipType: 'DESCRIBES' | 'CONTAINS';
  readonly relatedSpdxElement: string;
}

/** SPDX ids may hold letters, digits, `.` and `-` only. */
function spdxId(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 200);
}

/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/), written from the spec's JSON schema:
 * the image (one CONTAINER package per platform) DESCRIBED by the document, CONTAINING its
 * operating system and every package; declared licences as SPDX expressions, with anything SPDX
 * cannot express kept in an extracted-licence reference.
 */
export function formatSpdx(report: ScanReport): string {
  const packages: SpdxPackage[] = [];
  const relationships: Relationship[] = [];
  const extracted = new Map<string, string>();
  const describes: string[] = [];

  const declaredLicense = (pkg: InventoryPackage): string => {
    const { expression, unknown } = combinedExpression(pkg.licenses);
    const refs = unknown.map((text) => {
      const id = `LicenseRef-${spdxId(text).slice(0, 60)}`;
      extracted.set(id, text);
      return id;
    });
    const parts = [
      ...(expression ? [/\s/.test(expression) && refs.length > 0 ? `(${expression})` : expression] : []),
      ...refs,
    ];
    return parts.length === 0 ? 'NOASSERTION' : parts.join(' AND ');
  };

  for (const image of report.images) {
    const platform = formatPlatform(image.platform);
    const imageId = `SPDXRef-Image-${spdxId(platform)}`;
    describes.push(imageId);
    relationships.push({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: imageId,
    });
    packages.push({
      SPDXID: imageId,
      name: report.artifact.name,
      ...(image.manifestDigest ? { versionInfo: image.manifestDigest } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'CONTAINER',
      comment: `platform ${platform}`,
    });
    if (image.os) {
      const osId = `SPDXRef-OperatingSystem-${spdxId(platform)}`;
      packages.push({
        SPDXID: osId,
        name: image.os.id,
        ...(image.os.version ? { versionInfo: image.os.version } : {}),
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
        primaryPackagePurpose: 'OPERATING_SYSTEM',
      });
      relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: osId });
    }
    image.packages.forEach((pkg, index) => {
      const id = `SPDXRef-Package-${spdxId(platform)}-${index + 1}`;
      packages.push({
        SPDXID: id,
        name: pkg.name,
        versionInfo: pkg.version,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: declaredLicense(pkg),
        copyrightText: 'NOASSERTION',
        primaryPackagePurpose: 'LIBRARY',
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
        ],
        sourceInfo: `${pkg.origin} package found in /${pkg.path}, layer ${pkg.layer.index + 1} (${pkg.layer.diffId ?? pkg.layer.digest})`,
      });
      relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    });
  }

  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: report.artifact.name,
    documentNamespace: `urn:uuid:${crypto.randomUUID()}`,
    creationInfo: {
      created: report.createdAt.replace(/\.\d+Z$/, 'Z'),
      creators: [`Tool: ${report.tool.name}-${report.tool.version}`],
    },
    documentDescribes: describes,
    packages,
    relationships,
    ...(extracted.size > 0
      ? {
          hasExtractedLicensingInfos: [...extracted].map(([licenseId, extractedText]) => ({
            licenseId,
            extractedText,
          })),
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
