import type { BaselineCheckResult, ImageReport } from '@drydock/engine';
import { severityOrder } from '@drydock/engine';
import { heading, printable, severityCell, table, truncate, type TableOptions } from './table-parts.ts';

const cellWidth = 60;

function evidenceCell(check: BaselineCheckResult): string[] {
  const shown = check.evidence.slice(0, 3).map((item) => {
    const where = item.location.startsWith('config:') ? item.location : `/${item.location}`;
    return truncate(`${where}${item.line ? `:${item.line}` : ''} ${item.detail}`, cellWidth);
  });
  const more = check.evidence.length - shown.length;
  return [...shown, ...(more > 0 ? [`(+${more} more in --format json)`] : [])];
}

/**
 * The Baseline section of one image: how many checks passed, failed or did not apply, then the
 * failed ones, most severe first, with what the image has, what it should have and the evidence.
 */
export function baselineSection(image: ImageReport, options: TableOptions): string[] {
  if (image.baseline === undefined)
    return [`${heading('Baseline', options)}: not scanned (--scanners baseline)`];
  const { checks, weakPasswords } = image.baseline;
  const failed = checks
    .filter((check) => check.result === 'fail')
    .sort((a, b) => severityOrder[b.severity] - severityOrder[a.severity] || a.id.localeCompare(b.id));
  const count = (result: BaselineCheckResult['result']) => checks.filter((c) => c.result === result).length;
  const lines = [
    heading(`Baseline (${failed.length} failed)`, options),
    `Checks: ${checks.length} (failed: ${failed.length}, passed: ${count('pass')}, not applicable: ${count('not_applicable')})`,
  ];
  if (weakPasswords)
    lines.push(
      `Weak-password search: ${weakPasswords.tried} guesses${weakPasswords.exhausted ? ', budget exhausted before every candidate was tried (--password-budget)' : ''}` +
        (weakPasswords.unsupported.length > 0
          ? `; not verifiable: ${weakPasswords.unsupported.map((entry) => printable(`${entry.account} (${entry.algorithm})`)).join(', ')}`
          : ''),
    );
  if (failed.length > 0) {
    lines.push(
      table(
        ['Severity', 'Check', 'Current', 'Suggested', 'Evidence'],
        failed.map((check) => [
          severityCell(check.severity, options),
          [truncate(check.title, cellWidth), check.id],
          truncate(check.current ?? '', 40),
          truncate(check.suggested ?? '', 40),
          evidenceCell(check),
        ]),
        options,
      ),
    );
  }
  return lines;
}
