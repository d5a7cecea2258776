import type { ImageReport, SecretFinding } from '@drydock/engine';
import { severityOrder } from '@drydock/engine';
import {
  heading,
  severityCell,
  severityLabel,
  shortInstruction,
  table,
  truncate,
  type TableOptions,
} from './table-parts.ts';

const excerptWidth = 80;
const secretSeverities = ['critical', 'high', 'medium', 'low'] as const;

function where(finding: SecretFinding): string[] {
  if (finding.location === 'config') return [finding.path];
  return [
    `/${finding.path}:${finding.line}`,
    ...(finding.inFinalFilesystem ? [] : ['(deleted in a later layer)']),
  ];
}

function layerCell(finding: SecretFinding): string {
  if (!finding.layer) return 'config';
  const instruction = shortInstruction(finding.layer.createdBy);
  const short = instruction.length > 30 ? `${instruction.slice(0, 29)}…` : instruction;
  return short ? `${finding.layer.index + 1}: ${short}` : String(finding.layer.index + 1);
}

/**
 * The Secrets section of one image: counts by severity, then one row per secret, most severe
 * first (Severity, Rule, Where, Layer, Excerpt). Everything shown is masked by the engine.
 */
export function secretSection(image: ImageReport, options: TableOptions): string[] {
  if (image.secrets === undefined) return [`${heading('Secrets', options)}: not scanned`];
  const secrets = [...image.secrets].sort(
    (a, b) =>
      severityOrder[b.severity] - severityOrder[a.severity] ||
      a.path.localeCompare(b.path) ||
      a.line - b.line,
  );
  const counts = secretSeverities.map(
    (severity) =>
      `${severityLabel(severity, options)}: ${secrets.filter((s) => s.severity === severity).length}`,
  );
  const lines = [
    heading(`Secrets (${secrets.length})`, options),
    `Total: ${secrets.length} (${counts.join(', ')})`,
  ];
  const skipped = image.secretScan?.skippedBaseLayers ?? 0;
  if (skipped > 0) lines.push(`Base image layers not searched: ${skipped} (--skip-base-layers)`);
  if (secrets.length > 0) {
    lines.push(
      table(
        ['Severity', 'Rule', 'Where', 'Layer', 'Excerpt'],
        secrets.map((finding) => [
          severityCell(finding.severity, options),
          [finding.title, finding.ruleId],
          where(finding),
          layerCell(finding),
          truncate(finding.excerpt, excerptWidth),
        ]),
        options,
      ),
    );
  }
  return lines;
}
