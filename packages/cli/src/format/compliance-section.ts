import type { ImageReport } from '@drydock/engine';
import { severityOrder } from '@drydock/engine';
import { heading, severityCell, table, truncate, type TableOptions } from './table-parts.ts';

/**
 * The Software compliance section of one image: the licence categories of its packages, then
 * every licence, prohibited-software and end-of-life finding, most severe first.
 */
export function complianceSection(image: ImageReport, options: TableOptions): string[] {
  if (image.compliance === undefined)
    return [`${heading('Software compliance', options)}: not scanned (--scanners compliance)`];
  const { findings, licenses } = image.compliance;
  const categories = Object.entries(licenses.byCategory)
    .filter(([, count]) => count > 0)
    .map(([category, count]) => `${category}: ${count}`)
    .join(', ');
  const lines = [
    heading(`Software compliance (${findings.length})`, options),
    `Licences of ${licenses.packages} packages: ${categories || 'none declared'}${licenses.undeclared > 0 ? `; no licence declared: ${licenses.undeclared}` : ''}`,
  ];
  if (findings.length > 0) {
    lines.push(
      table(
        ['Severity', 'Type', 'Software', 'Version', 'Where', 'Reason'],
        [...findings]
          .sort(
            (a, b) =>
              severityOrder[b.severity] - severityOrder[a.severity] || a.software.localeCompare(b.software),
          )
          .map((finding) => [
            severityCell(finding.severity, options),
            finding.type,
            finding.software,
            finding.version ?? '',
            [
              `/${finding.path}`,
              ...(finding.layerIndex === undefined ? [] : [`layer ${finding.layerIndex + 1}`]),
            ],
            truncate(finding.reason, 70),
          ]),
        options,
      ),
    );
  }
  return lines;
}
