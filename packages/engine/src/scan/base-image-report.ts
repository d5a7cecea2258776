import type { BaseImageCatalogue } from '../check/base-image/base-image-catalogue.ts';
import { countBySeverity, type FindingCounts } from '../check/base-image/finding-counts.ts';
import { splitByBaseLayers } from '../check/base-image/split-by-base-layers.ts';
import type { Platform } from '../image/types.ts';
import type { BaseImageReport, ImageReport, OriginCounts } from './result.ts';

function origins<T>(
  findings: readonly T[] | undefined,
  layerOf: (finding: T) => number | undefined,
  base: number,
) {
  if (findings === undefined) return undefined;
  const split = splitByBaseLayers(findings, layerOf, base);
  return { base: split.base.length, own: split.own.length };
}

/**
 * The base image an image was built on, from the catalogue: the entry whose layers the image's
 * first layers equal (the longest such), how many findings of each risk type come from those
 * layers and how many from the image's own, and other tags of that base with fewer
 * vulnerabilities from the base layers than this image carries.
 */
export function baseImageReport(
  catalogue: BaseImageCatalogue,
  diffIds: readonly string[],
  platform: Platform | undefined,
  image: Pick<ImageReport, 'vulnerabilities' | 'secrets' | 'malware' | 'compliance'>,
): BaseImageReport | undefined {
  const match = catalogue.match(diffIds, platform);
  if (match === undefined) return undefined;
  const base = match.layerCount;
  const vulnerabilities =
    image.vulnerabilities && splitByBaseLayers(image.vulnerabilities, (f) => f.package.layer.index, base);
  const findings: OriginCounts = {
    vulnerabilities: vulnerabilities && {
      base: vulnerabilities.base.length,
      own: vulnerabilities.own.length,
    },
    secrets: origins(image.secrets, (finding) => finding.layer?.index, base),
    malware: origins(image.malware, (finding) => finding.layer.index, base),
    compliance: origins(image.compliance?.findings, (finding) => finding.layerIndex, base),
  };
  const current: FindingCounts = countBySeverity(vulnerabilities?.base ?? [], (finding) => finding.severity);
  const { entry } = match;
  return {
    name: entry.name,
    tag: entry.tag,
    digest: entry.digest,
    platform: entry.platform,
    ...(entry.os ? { os: entry.os } : {}),
    layers: base,
    wholeImage: match.wholeImage,
    addedBy: entry.addedBy,
    findings,
    vulnerabilitiesFromBase: current,
    betterTags:
      image.vulnerabilities === undefined
        ? []
        : catalogue.betterTags(match, current).map((better) => ({
            tag: better.tag,
            digest: better.digest,
            ...(better.findings ? { vulnerabilities: better.findings } : {}),
          })),
  };
}
