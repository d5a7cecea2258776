import type { ImageReport } from '@drydock/engine';
import { heading, type TableOptions } from './table-parts.ts';

type Counts = NonNullable<ImageReport['baseImage']>['vulnerabilitiesFromBase'];

function severities(counts: Counts): string {
  return `critical ${counts.critical}, high ${counts.high}, medium ${counts.medium}, low ${counts.low}`;
}

/**
 * The Base image section: the catalogued base the image was built on, where each risk type's
 * findings come from (the base's layers or the image's own), and tags of the base with fewer
 * vulnerabilities. Nothing when no catalogue entry matched.
 */
export function baseImageSection(image: ImageReport, options: TableOptions): string[] {
  const base = image.baseImage;
  if (base === undefined) return [];
  const lines = [
    heading('Base image', options),
    `${base.name}:${base.tag} (${base.digest.slice(0, 19)}, ${base.layers} layer${base.layers === 1 ? '' : 's'}${base.os ? `, ${base.os.id} ${base.os.version ?? ''}`.trimEnd() : ''})${base.wholeImage ? ': the image is this base image' : ''}`,
  ];
  const parts = Object.entries(base.findings)
    .filter((entry): entry is [string, { base: number; own: number }] => entry[1] !== undefined)
    .map(
      ([type, counts]) => `${type} ${counts.base} from the base, ${counts.own} from the image's own layers`,
    );
  if (parts.length > 0) lines.push(`Findings: ${parts.join('; ')}`);
  const better = base.betterTags[0];
  if (better)
    lines.push(
      `Fewer vulnerabilities in ${base.name}:${better.tag}${better.vulnerabilities ? ` (${severities(better.vulnerabilities)})` : ''} than in the base layers here (${severities(base.vulnerabilitiesFromBase)})`,
    );
  return lines;
}
